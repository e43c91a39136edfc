// The few Adaptive Card shapes we build: schema 1.5, what Teams renders for bot cards; 1.3 for
// cards a message extension inserts or unfurls (link unfurling supports 1.3 and earlier).

export type CardElement = Record<string, unknown> & { type: string };

export interface CardAction {
  type: 'Action.Execute' | 'Action.OpenUrl' | 'Action.ShowCard';
  title: string;
  verb?: string;
  data?: Record<string, unknown>;
  url?: string;
  style?: 'positive' | 'destructive' | 'default';
  card?: AdaptiveCard;
  /** 1.5: `secondary` goes in the card's overflow menu ("…"). */
  mode?: 'primary' | 'secondary';
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5' | '1.3';
  body: CardElement[];
  actions?: CardAction[];
  msteams?: { width: 'Full' };
  fallbackText?: string;
  /** Universal Actions: Teams asks the bot for this viewer's version of the card. */
  refresh?: { action: CardAction; userIds?: string[] };
}

export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

/** Text we wrote ourselves (from the catalogue): a TextBlock is fine. */
export function textBlock(text: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

/**
 * The card as a message attachment: what botbuilder's CardFactory.adaptiveCard makes, without
 * loading botbuilder, so the outbox's views render before the first turn has loaded it.
 */
export function cardAttachment(card: object): { contentType: string; content: object } {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}
