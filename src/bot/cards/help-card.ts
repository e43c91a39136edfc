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
  // The command on its line, what it does under it at the card's full width: side by side, a long
  // command left the description a one-word column and split its example id.
  const rows: CardElement[] = lines.flatMap(([command, what]): CardElement[] => [
    {
      type: 'RichTextBlock',
      spacing: 'Medium',
      inlines: [{ type: 'TextRun', text: command, fontType: 'Monospace', weight: 'Bolder' }],
    },
    { ...textBlock(what, { isSubtle: true }), spacing: 'None' },
  ]);
  return adaptiveCard([
    textBlock(t('help.title'), { size: 'Large', weight: 'Bolder' }),
    textBlock(t('help.intro')),
    textBlock(t('help.commands'), { weight: 'Bolder', spacing: 'Medium' }),
    ...rows,
  ]);
}
