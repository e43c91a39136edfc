import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { ConflictError } from '../../errors.js';
import type { Lead } from '../../leads/lead.js';
import { checkVersion, claimLead, RefusedError } from '../../leads/lifecycle.js';
import { resolveActor } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { cardResponse, messageResponse } from '../invoke-response.js';
import { leadCard } from '../lead-activity.js';
import { changeNotice, refusalMessage } from '../messages.js';
import { updatePostedCards, viewFor } from '../turn-helpers.js';

/** lead.claim: the clicker becomes the owner; everyone's card shows it. */
export async function handleClaim(
  context: TurnContext,
  lead: Lead,
  version: number,
  deps: BotDeps,
): Promise<AdaptiveCardInvokeResponse> {
  const actor = await resolveActor(context, deps);
  const view = viewFor(context, deps);
  try {
    checkVersion(lead, version);
    const saved = await deps.store.saveLead(claimLead(lead, actor, deps.now()), lead.version);
    deps.log.info('lead claimed', { lead: lead.id, version: saved.version });
    await updatePostedCards(saved, deps, context);
    return cardResponse(leadCard(saved, view));
  } catch (error) {
    if (error instanceof ConflictError) {
      const current = error.current as Lead;
      return cardResponse(leadCard(current, { ...view, notice: changeNotice(current, view) }));
    }
    if (error instanceof RefusedError) return messageResponse(refusalMessage(error.refusal, view.t));
    throw error;
  }
}
