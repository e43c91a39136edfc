import type { Translator } from '../../i18n/translator.js';
import { type AdaptiveCard, adaptiveCard, textBlock } from './adaptive-card.js';
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
    textBlock(t('welcome.connect'), { isSubtle: true }),
  ]);
}
