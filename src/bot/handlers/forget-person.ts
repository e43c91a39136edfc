import type { TurnContext } from 'botbuilder';
import { eraseCustomer, leadsOfPerson } from '../../leads/privacy.js';
import { viewerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { viewFor } from '../turn-helpers.js';

/**
 * `forget someone@example.com` (managers only): erases that person's data from every lead and
 * updates the cards. The log and the audit entry name the leads, never the address.
 */
export async function forgetPerson(
  context: TurnContext,
  [email = '']: string[],
  deps: BotDeps,
): Promise<void> {
  const { t } = viewFor(context, deps);
  const actor = await viewerOf(context, deps); // who erased it goes in each lead's history
  const address = email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
    await context.sendActivity(t('command.forgetNeedsEmail'));
    return;
  }
  const leads = leadsOfPerson(await deps.store.findByEmail(address), address);
  if (leads.length === 0) {
    await context.sendActivity(t('command.forgetNone'));
    return;
  }
  const by = { aadObjectId: actor.aadObjectId, name: actor.name };
  for (const lead of leads) {
    const erased = await deps.store.saveLead(eraseCustomer(lead, by, 'request', deps.now()), lead.version);
    await deps.changes.changed({ lead: erased, verb: 'erased', by });
  }
  deps.log.info('personal data erased on request', { leads: leads.map((l) => l.id), by: actor.aadObjectId });
  await context.sendActivity(t.plural('command.forgotten', leads.length));
}
