import { statusOf } from '../delivery/retry-policy.js';
import { managersAmong } from '../leads/access.js';
import type { Delivery, Lead } from '../leads/lead.js';
import type { ViewDeps } from './bot-deps.js';
import { viewFor } from './turn-helpers.js';

/**
 * Teams refused a card for good: each manager on that team's roster hears of it in personal
 * chat (the team itself may be out of reach). /healthz counts failed deliveries too.
 */
export async function notifyFailedDelivery(
  lead: Lead,
  delivery: Delivery,
  error: unknown,
  deps: ViewDeps,
): Promise<void> {
  const installation = await deps.store.getInstallation(delivery.teamId);
  const managers = managersAmong(installation?.members ?? [], deps.config.managers);
  if (!installation || managers.length === 0) return;
  const { t } = viewFor(undefined, deps);
  const text = t('failure.cardRefused', { id: lead.id, status: String(statusOf(error) ?? '?') });
  for (const manager of managers)
    await deps.poster.postToUser(installation, manager.id, { type: 'message', text });
}
