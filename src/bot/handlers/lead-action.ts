import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { changeNotice, ownerNotToldNotice, refusalMessage } from '../../i18n/messages.js';
import type { SeenLead } from '../../leads/door.js';
import type { Lead } from '../../leads/lead.js';
import type { Verb } from '../../leads/lifecycle.js';
import { describeError } from '../../log.js';
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
        const notice = result.ownerNotTold ? ownerNotToldNotice(saved) : undefined;
        // The posted cards are the outbox's; a copy clicked elsewhere (a personal chat) is this turn's.
        if (!list) await updateClickedCopy(context, saved, deps, notice);
        return render(saved, notice?.(view.t));
      }
    }
  };
}

/** The clicked card, when it is not one of the lead's posted cards: updated in place, as everyone sees it. */
async function updateClickedCopy(
  context: TurnContext,
  lead: Lead,
  deps: BotDeps,
  notice: ReturnType<typeof ownerNotToldNotice> | undefined,
): Promise<void> {
  const clicked = context.activity.replyToId;
  if (!clicked || lead.deliveries.some((d) => d.activityId === clicked)) return;
  try {
    const view = viewFor(context, deps);
    const seen = await deps.door.shared(lead);
    await context.updateActivity({
      ...leadActivity(lead, {
        ...view,
        roster: seen.roster,
        hideContact: seen.hideContact,
        ...(notice ? { notice: notice(view.t) } : {}),
      }),
      id: clicked,
    });
  } catch (error) {
    deps.log.warn('card update failed', { lead: lead.id, error: describeError(error) });
  }
}
