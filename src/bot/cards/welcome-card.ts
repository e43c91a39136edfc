import type { Translator } from '../../i18n/translator.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, textBlock } from './adaptive-card.js';
import { plainText } from './text.js';

/** Posted once, when the bot joins a team, in the channel that becomes the lead channel. */
export function renderWelcomeCard(t: Translator, options: { channelName: string }): AdaptiveCard {
  // A channel name is typed by people; in a TextBlock it would be markdown, so strip what formats.
  const name = plainText(options.channelName, 60).replace(/[*_[\]()`~<>#\\]/g, '');
  const channel = name ? `“${name}”` : t('welcome.thisChannel');
  return adaptiveCard([
    textBlock(t('welcome.title'), { size: 'Large', weight: 'Bolder' }),
    textBlock(t('welcome.body', { channel })),
    textBlock(t('welcome.change'), { isSubtle: true }),
    command('@Lead Assistant use this channel for leads'),
    textBlock(t('welcome.split'), { isSubtle: true }),
    command('use this channel for appsource leads'),
    textBlock(t('welcome.connect'), { isSubtle: true }),
  ]);
}

/** What to type, on a line of its own in monospace: inside a sentence it read as part of it. */
function command(text: string): CardElement {
  return {
    type: 'RichTextBlock',
    spacing: 'Small',
    inlines: [{ type: 'TextRun', text, fontType: 'Monospace', weight: 'Bolder' }],
  };
}
