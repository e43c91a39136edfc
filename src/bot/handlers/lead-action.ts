import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Lead } from '../../leads/lead.js';
import type { Verb } from '../../leads/lifecycle.js';
import { act } from '../../leads/workflow.js';
import { describeError } from '../../log.js';
import { resolveActor } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { parseLeadAction } from '../card-inputs.js';
import { placeOf } from '../click-place.js';
import type { Translator } from '../i18n/translator.js';
import { cardResponse, messageResponse } from '../invoke-response.js';
import { type LeadView, leadActivity, leadCard } from '../lead-activity.js';
import { changeNotice, refusalMessage } from '../messages.js';
import { refreshRosterIfStale, rosterForLead } from '../roster.js';
import { type CardNotice, hideContactFor, showChange, viewFor } from '../turn-helpers.js';
import { parseListContext, renderListAgain } from './list-reply.js';

export interface CardClick {
  version: number;
  data: Record<string, unknown>;
}

/**
 * Every lead.* verb: read the inputs, who clicked and where, then `act` (the workflow every surface
 * calls) and render what became of it: the new card to the clicker and to everyone, the current
 * card with who changed it first, or a polite refusal. A click in a list (`my leads`,
 * `unassigned`) answers with that list, its row updated.
 */
export function leadActionHandler(verb: Verb) {
  return async (
    context: TurnContext,
    lead: Lead,
    click: CardClick,
    deps: BotDeps,
  ): Promise<AdaptiveCardInvokeResponse> => {
    await refreshRosterIfStale(context, deps);
    const roster = await rosterForLead(lead, deps.store);
    const view: LeadView = { ...viewFor(context, deps), roster };
    const action = parseLeadAction(verb, click.data, roster);
    if ('invalid' in action) return messageResponse(view.t(action.invalid));
    const actor = await resolveActor(context, deps);
    const list = parseListContext(click.data);
    const result = await act(deps, {
      leadId: lead.id,
      version: click.version,
      action,
      actor,
      place: placeOf(context.activity),
    });
    const render = async (shown: Lead, notice?: string) =>
      cardResponse(
        list
          ? await renderListAgain(context, list, deps, notice)
          : leadCard(shown, {
              ...view,
              viewer: actor,
              hideContact: hideContactFor(shown, actor, deps),
              ...(notice ? { notice } : {}),
            }),
      );
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
        // Without the turn, only the lead's posted cards are updated: the clicked list stays a list.
        const notice = await publishChange(saved, action.verb, actor.name, deps, list ? undefined : context);
        return render(saved, notice?.(view.t));
      }
    }
  };
}

/**
 * A saved change, shown wherever the lead is (every surface calls this after `act`: a card click,
 * the tab): a new owner is told in a personal chat, and the outbox brings every posted card up to
 * date. The notice it returns is the one the cards carry (the new owner could not be told).
 */
export async function publishChange(
  saved: Lead,
  verb: Verb,
  actorName: string,
  deps: BotDeps,
  context?: TurnContext,
): Promise<CardNotice | undefined> {
  const messaged = verb === 'assign' ? await tellNewOwner(saved, actorName, deps) : true;
  // If the new owner could not be told, the card says so, for everyone, rather than failing.
  const notice = messaged
    ? undefined
    : (t: Translator) => t('notice.dmFailed', { name: saved.owner?.name ?? '' });
  await showChange(saved, deps, context, notice);
  return notice;
}

/** The new owner gets the card in a personal chat; false when that was not possible. */
async function tellNewOwner(lead: Lead, by: string, deps: BotDeps): Promise<boolean> {
  const owner = lead.owner;
  if (!owner) return true;
  for (const delivery of lead.deliveries) {
    const installation = await deps.store.getInstallation(delivery.teamId);
    const member = installation?.members?.find((m) => m.aadObjectId === owner.aadObjectId);
    if (!installation || !member) continue;
    const view = viewFor(undefined, deps);
    try {
      const card = leadActivity(lead, { ...view, roster: installation.members ?? [] });
      await deps.poster.postToUser(installation, member.id, { ...card, text: view.t('dm.assigned', { by }) });
      return true;
    } catch (error) {
      deps.log.warn('could not message the new owner', { lead: lead.id, error: describeError(error) });
      return false;
    }
  }
  return false;
}
