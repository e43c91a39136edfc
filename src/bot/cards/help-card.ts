import type { Translator } from '../i18n/translator.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, textBlock } from './adaptive-card.js';

/** What the bot does and the commands it takes. */
export function renderHelpCard(t: Translator): AdaptiveCard {
  const commands: Array<[string, string]> = [
    ['help', t('help.cmdHelp')],
    ['lead <id>', t('help.cmdLead')],
    ['my leads', t('help.cmdMyLeads')],
    ['unassigned', t('help.cmdUnassigned')],
    ['find <text>', t('help.cmdFind')],
    ['summary [today|week|month|14d]', t('help.cmdSummary')],
    ['digest daily 08:30', t('help.cmdDigest')],
    ['forget <e-mail>', t('help.cmdForget')],
    ['use this channel for leads', t('help.cmdUseChannel')],
    ['use this channel for appsource leads', t('help.cmdUseChannelFor')],
  ];
  const rows: CardElement[] = commands.map(([command, what]) => ({
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
