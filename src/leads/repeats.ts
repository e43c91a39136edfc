import type { IncomingLead, Lead } from './lead.js';
import { computePriority } from './priority.js';

export const REPEAT_WINDOW_DAYS = 30;

/**
 * The marketplace sends one buyer several leads as they move (Contact me, then Get it now).
 * The same e-mail for the same offer within 30 days belongs on the lead the team already has.
 */
export function findRepeatTarget(leads: Lead[], incoming: IncomingLead, now: Date): Lead | undefined {
  const email = incoming.customer.email.toLowerCase();
  if (incoming.isTest || email === '') return undefined;
  const since = now.getTime() - REPEAT_WINDOW_DAYS * 86_400_000;
  const offer = incoming.offerTitle.toLowerCase();
  return leads
    .filter(
      (l) =>
        !l.isTest &&
        l.customer.email.toLowerCase() === email &&
        l.offerTitle.toLowerCase() === offer &&
        Date.parse(l.receivedAt) >= since,
    )
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))[0];
}

/** Records the new sighting on the existing lead, with a history entry the card shows. */
export function attachRepeat(lead: Lead, incoming: IncomingLead, now: Date): Lead {
  const at = now.toISOString();
  const updated: Lead = {
    ...lead,
    repeats: [
      ...(lead.repeats ?? []),
      {
        receivedAt: at,
        source: incoming.source,
        fingerprint: incoming.fingerprint,
        raw: incoming.raw,
        announce: 'owed',
      },
    ],
    // A do-not-contact request wins over earlier interest.
    doNotContact: lead.doNotContact || incoming.doNotContact,
    history: [
      ...lead.history,
      {
        at,
        by: { aadObjectId: 'system', name: 'Marketplace' },
        action: 'seen_again',
        note: incoming.source.action,
      },
    ],
  };
  // The new sighting adds to the lead's priority (a stronger call to action, interest again).
  return { ...updated, priority: computePriority(updated) };
}
