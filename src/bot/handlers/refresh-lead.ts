import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { SeenLead } from '../../leads/door.js';
import type { BotDeps } from '../bot-deps.js';
import { cardResponse } from '../invoke-response.js';
import { leadCard } from '../lead-activity.js';
import { viewFor } from '../turn-helpers.js';
import type { CardClick } from './lead-action.js';

/**
 * lead.refresh: the current card for the clicker only. It is also what Teams calls when somebody
 * opens the card (UAM refresh), so it is that viewer's card: only what they may do, and contact
 * details only if they may see them.
 */
export async function handleRefresh(
  context: TurnContext,
  seen: SeenLead,
  _click: CardClick,
  deps: BotDeps,
): Promise<AdaptiveCardInvokeResponse> {
  const { lead, viewer, roster, hideContact } = seen;
  return cardResponse(leadCard(lead, { ...viewFor(context, deps), roster, viewer, hideContact }));
}
