import type { Lead } from '../leads/lead.js';
import { describeError } from '../log.js';
import type { ViewDeps } from './bot-deps.js';
import { leadActivity } from './lead-activity.js';
import { viewFor } from './turn-helpers.js';

/** The new owner gets the card in a personal chat; false when that was not possible. */
export async function tellNewOwner(lead: Lead, by: string, deps: ViewDeps): Promise<boolean> {
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
