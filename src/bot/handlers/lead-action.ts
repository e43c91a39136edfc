import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { ConflictError } from '../../errors.js';
import type { Lead } from '../../leads/lead.js';
import { applyAction, checkVersion, RefusedError, type Verb } from '../../leads/lifecycle.js';
import { describeError } from '../../log.js';
import { resolveActor } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { parseLeadAction } from '../card-inputs.js';
import type { Translator } from '../i18n/translator.js';
import { cardResponse, messageResponse } from '../invoke-response.js';
import { type LeadView, leadActivity, leadCard } from '../lead-activity.js';
import { changeNotice, refusalMessage } from '../messages.js';
import { refreshRosterIfStale, rosterForLead } from '../roster.js';
import { hideContactFor, updatePostedCards, viewFor } from '../turn-helpers.js';
import { parseListContext, renderListAgain } from './list-reply.js';

export interface CardClick {
  version: number;
  data: Record<string, unknown>;
}

/**
 * Every lead.* verb: parse the inputs, check the version and who may act, apply the change, save
 * it (the store refuses a lost race), then show the new card to the clicker and to everyone.
 * A click in a list (`my leads`, `unassigned`) answers with that list, its row updated.
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
    try {
      checkVersion(lead, click.version);
      const saved = await deps.store.saveLead(applyAction(lead, action, actor, deps.now()), lead.version);
      deps.log.info('lead changed', { lead: lead.id, verb, status: saved.status, version: saved.version });
      const messaged = action.verb === 'assign' ? await tellNewOwner(saved, actor.name, deps) : true;
      // If the new owner could not be told, the card says so, for everyone, rather than failing.
      const notice = messaged
        ? undefined
        : (t: Translator) => t('notice.dmFailed', { name: saved.owner?.name ?? '' });
      // Without the turn, only the lead's posted cards are updated: the clicked list stays a list.
      await updatePostedCards(saved, deps, list ? undefined : context, notice);
      if (list) return cardResponse(await renderListAgain(context, list, deps, notice?.(view.t)));
      return cardResponse(
        leadCard(saved, {
          ...view,
          viewer: actor,
          hideContact: hideContactFor(saved, actor, deps),
          ...(notice ? { notice: notice(view.t) } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof ConflictError) {
        const current = error.current as Lead;
        if (list)
          return cardResponse(await renderListAgain(context, list, deps, changeNotice(current, view)));
        return cardResponse(
          leadCard(current, {
            ...view,
            viewer: actor,
            hideContact: hideContactFor(current, actor, deps),
            notice: changeNotice(current, view),
          }),
        );
      }
      if (error instanceof RefusedError) return messageResponse(refusalMessage(error.refusal, lead, view.t));
      throw error;
    }
  };
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
