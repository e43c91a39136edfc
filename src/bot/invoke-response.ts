import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { AdaptiveCard } from './cards/adaptive-card.js';

// Universal Actions: the HTTP status stays 200; the body says what the client shows.

export function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.card.adaptive',
    value: card as unknown as Record<string, unknown>,
  };
}

export function messageResponse(text: string): AdaptiveCardInvokeResponse {
  // botbuilder types `value` as an object; the message type carries a plain string.
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text as unknown as Record<string, unknown>,
  };
}
