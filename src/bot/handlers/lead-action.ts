import { type AdaptiveCardInvokeResponse, type TurnContext, teamsGetTenant } from 'botbuilder';
import { changeNotice, refusalMessage } from '../../i18n/messages.js';
import type { SeenLead } from '../../leads/door.js';
import type { Lead } from '../../leads/lead.js';
import type { Verb } from '../../leads/lifecycle.js';
import { describeError, inBackground } from '../../log.js';
import type { BotDeps } from '../bot-deps.js';
import { parseLeadAction } from '../card-inputs.js';
import { cardResponse, messageResponse } from '../invoke-response.js';
import { type LeadView, leadActivity, leadCard } from '../lead-activity.js';
import { viewFor } from '../turn-helpers.js';
import { parseListContext, renderListAgain } from './list-reply.js';

export interface CardClick {
  version: number;
  data: Record<string, unknown>;
}

/**
 * Every lead.* verb: read the inputs, then the door's `act` with who clicked and where, and render
 * what became of it: the new card to the clicker (everyone else's through the outbox), the current
 * card with who changed it first, or a polite refusal. A click in a list (`my leads`,
 * `unassigned`) answers with that list, its row updated.
 */
export function leadActionHandler(verb: Verb) {
  return async (
    context: TurnContext,
    seen: SeenLead,
    click: CardClick,
    deps: BotDeps,
  ): Promise<AdaptiveCardInvokeResponse> => {
    const { lead, viewer, roster } = seen;
    const view: LeadView = { ...viewFor(context, deps), roster };
    const action = parseLeadAction(verb, click.data, roster);
    if ('invalid' in action) return messageResponse(view.t(action.invalid));
    const list = parseListContext(click.data);
    const result = await deps.door.act(viewer, { leadId: lead.id, version: click.version, action });
    const render = async (shown: Lead, notice?: string) => {
      if (list) return cardResponse(await renderListAgain(context, list, deps, notice));
      const { hideContact } = await deps.door.seen(shown, viewer);
      return cardResponse(leadCard(shown, { ...view, viewer, hideContact, ...(notice ? { notice } : {}) }));
    };
    switch (result.outcome) {
      case 'not_found':
        return messageResponse(view.t('error.leadNotFound', { id: lead.id }));
      case 'refused':
        return messageResponse(refusalMessage(result.refusal, result.lead, view.t));
      case 'stale':
        return render(result.current, changeNotice(result.current, view));
      case 'saved': {
        const saved = result.lead;
        deps.log.info('lead changed', { lead: saved.id, verb, status: saved.status, version: saved.version });
        // The posted cards and the new owner's notice are the outbox's, after this answer (saved
        // with the change, so they survive a crash). A copy clicked elsewhere (a personal chat) is
        // this turn's, also after the answer: the clicker sees the answer's card at once.
        if (!list) updateClickedCopy(context, saved, deps);
        return render(saved);
      }
    }
  };
}

/**
 * The clicked card, when it is not one of the lead's posted cards (a copy in a personal chat):
 * updated in place, as everyone sees it, after the answer. The turn is over by then, so what it
 * needs of the activity is read now, and the update goes through the poster, not the turn.
 */
function updateClickedCopy(context: TurnContext, lead: Lead, deps: BotDeps): void {
  const { activity } = context;
  const clicked = activity.replyToId;
  if (!clicked || lead.deliveries.some((d) => d.activityId === clicked)) return;
  const view = viewFor(context, deps);
  const target = {
    serviceUrl: activity.serviceUrl,
    tenantId: teamsGetTenant(activity)?.id ?? activity.conversation.tenantId ?? '',
    botId: activity.recipient.id,
    conversationId: activity.conversation.id,
  };
  inBackground(async () => {
    try {
      const seen = await deps.door.shared(lead);
      const card = leadActivity(lead, { ...view, roster: seen.roster, hideContact: seen.hideContact });
      await deps.poster.updateActivity(target, { ...card, id: clicked });
    } catch (error) {
      deps.log.warn('card update failed', { lead: lead.id, error: describeError(error) });
    }
  });
}
