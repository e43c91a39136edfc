import type { Activity } from 'botbuilder';

// Teams marks a card put in the compose box by a message extension with this span; sent in the
// bot's own chat, it reaches the bot as a message whose text is that span and nothing else.
const INLINE_CARD = /<span[^>]*class="inline-compose-card"[^>]*>[\s\S]*?<\/span>\s*<\/span>/gi;
const CARD_TYPES = new Set([
  'application/vnd.microsoft.card.adaptive',
  'application/vnd.microsoft.card.thumbnail',
  'application/vnd.microsoft.card.hero',
]);

/**
 * A card someone shared (a search result, an unfurled lead link) with no words of their own: not a
 * command, so the bot does not answer "I didn't get that" to it.
 */
export function isSharedCard(activity: Partial<Activity>): boolean {
  const hasCard = (activity.attachments ?? []).some((a) => CARD_TYPES.has(a.contentType));
  if (!hasCard) return false;
  const words = (activity.text ?? '')
    .replace(INLINE_CARD, '')
    .replace(/<[^>]*>/g, '')
    .trim();
  return words === '';
}
