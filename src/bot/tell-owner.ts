import type { Lead, OwnerNotice } from '../leads/lead.js';
import type { ViewDeps } from './bot-deps.js';
import { leadActivity } from './lead-activity.js';
import { viewFor } from './turn-helpers.js';

/**
 * The new owner gets the card in a personal chat (the outbox calls this after the click was
 * answered). False when they are on no roster the bot is in; what Teams refuses is thrown, for the
 * outbox to retry or to give up on.
 */
export async function tellNewOwner(lead: Lead, notice: OwnerNotice, deps: ViewDeps): Promise<boolean> {
  for (const delivery of lead.deliveries) {
    const installation = await deps.store.getInstallation(delivery.teamId);
    const member = installation?.members?.find((m) => m.aadObjectId === notice.to.aadObjectId);
    if (!installation || !member) continue;
    const view = viewFor(undefined, deps);
    const card = leadActivity(lead, { ...view, roster: installation.members ?? [] });
    await deps.poster.postToUser(installation, member.id, {
      ...card,
      text: view.t('dm.assigned', { by: notice.by }),
    });
    return true;
  }
  return false;
}
