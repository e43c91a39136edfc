import type { MessageKey, Translator } from '../../i18n/translator.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, textBlock } from './adaptive-card.js';

/** One line of help: what to type, and what it does. */
export interface HelpRow {
  usage: string;
  text: MessageKey;
}

/** What the bot does and the commands it takes (the command table's help rows, in its order). */
export function renderHelpCard(
  t: Translator,
  commands: ReadonlyArray<{ help: readonly HelpRow[] }>,
): AdaptiveCard {
  const lines = commands.flatMap((command) => command.help.map((row) => [row.usage, t(row.text)] as const));
  const rows: CardElement[] = lines.map(([command, what]) => ({
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      {
        type: 'Column',
        width: 'auto',
        items: [
          {
            type: 'RichTextBlock',
            inlines: [{ type: 'TextRun', text: command, fontType: 'Monospace', weight: 'Bolder' }],
          },
        ],
      },
      { type: 'Column', width: 'stretch', items: [textBlock(what, { isSubtle: true })] },
    ],
  }));
  return adaptiveCard([
    textBlock(t('help.title'), { size: 'Large', weight: 'Bolder' }),
    textBlock(t('help.intro')),
    textBlock(t('help.commands'), { weight: 'Bolder', spacing: 'Medium' }),
    ...rows,
  ]);
}
