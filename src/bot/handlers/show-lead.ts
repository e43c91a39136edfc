import type { TurnContext } from 'botbuilder';
import { normaliseLeadId } from '../../leads/lead-id.js';
import { viewerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { leadActivity } from '../lead-activity.js';
import { viewFor } from '../turn-helpers.js';

/** `lead L-7K3Q9`: the lead's card, with its actions, if the asker may see it here. */
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
  const seen = await deps.door.lead(await viewerOf(context, deps), id);
  if (!seen) {
    await context.sendActivity(view.t('error.leadNotFound', { id }));
    return;
  }
  const { lead, viewer, roster, hideContact } = seen;
  await context.sendActivity(leadActivity(lead, { ...view, viewer, roster, hideContact }));
}
