import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Lead } from '../../leads/lead.js';
import { resolveActor } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { cardResponse } from '../invoke-response.js';
import { leadCard } from '../lead-activity.js';
import { rosterForLead } from '../roster.js';
import { viewFor } from '../turn-helpers.js';
import type { CardClick } from './lead-action.js';

/** lead.refresh: the current card, for the clicker only. */
export async function handleRefresh(
  context: TurnContext,
  lead: Lead,
  _click: CardClick,
  deps: BotDeps,
): Promise<AdaptiveCardInvokeResponse> {
  return cardResponse(
    leadCard(lead, { ...viewFor(context, deps), roster: await rosterForLead(lead, deps.store) }),
  );
}
