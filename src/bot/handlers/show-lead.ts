import type { TurnContext } from 'botbuilder';
import { normaliseLeadId } from '../../leads/lead-id.js';
import { resolveActor } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { isClickInPlace } from '../click-place.js';
import { leadActivity } from '../lead-activity.js';
import { rosterForLead } from '../roster.js';
import { hideContactFor, viewFor } from '../turn-helpers.js';

/** `lead L-7K3Q9`: the lead's card, with its actions, wherever it was asked for. */
export async function showLead(context: TurnContext, [typed = '']: string[], deps: BotDeps): Promise<void> {
  const view = viewFor(context, deps);
  if (!typed.trim()) {
    await context.sendActivity(view.t('command.leadNeedsId'));
    return;
  }
  const id = normaliseLeadId(typed);
  if (!id) {
    await context.sendActivity(view.t('command.invalidLeadId', { text: typed.slice(0, 20) }));
    return;
  }
  const lead = await deps.store.getLead(id);
  if (!lead || !(await isClickInPlace(lead, context.activity, deps.store))) {
    await context.sendActivity(view.t('error.leadNotFound', { id }));
    return;
  }
  const viewer = await resolveActor(context, deps);
  const roster = await rosterForLead(lead, deps.store);
  await context.sendActivity(
    leadActivity(lead, { ...view, viewer, roster, hideContact: hideContactFor(lead, viewer, deps) }),
  );
}
