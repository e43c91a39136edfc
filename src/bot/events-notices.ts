// How the lead events' problems are told in Teams: the events decide when, the bot what it says.
import { publicUrl } from '../events/endpoint.js';
import { managersAmong } from '../leads/access.js';
import type { ViewDeps } from './bot-deps.js';
import { viewFor } from './turn-helpers.js';

/**
 * Events problems go to every manager (MANAGERS) on any team's roster, once each, in personal chat,
 * as a card Teams refused does. Throws when managers are listed but none could be reached, so the
 * caller tries again later.
 */
async function tellManagers(deps: ViewDeps, text: string): Promise<void> {
  const reached = new Set<string>();
  let missed: unknown;
  for (const installation of await deps.store.listInstallations()) {
    for (const manager of managersAmong(installation.members ?? [], deps.config.managers)) {
      if (reached.has(manager.aadObjectId)) continue;
      try {
        await deps.poster.postToUser(installation, manager.id, { type: 'message', text });
        reached.add(manager.aadObjectId);
      } catch (error) {
        missed = error;
      }
    }
  }
  if (reached.size === 0 && missed) throw missed;
}

export function eventNotices(deps: ViewDeps) {
  const { t } = viewFor(undefined, deps);
  return {
    onStopped: (url: string, status: number) =>
      tellManagers(deps, t('events.stopped', { url: publicUrl(url), status })),
    onGivingUp: (url: string, leadId: string, error: string) =>
      tellManagers(deps, t('events.failing', { url: publicUrl(url), id: leadId, error })),
  };
}
