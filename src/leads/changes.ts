// The one port through which the domain tells the world that leads changed. The domain says what
// changed; delivery/ (the cards, the new owner's notice) and events/ (the CRMs) decide how.
import type { Lead, Person } from './lead.js';
import type { Verb } from './lifecycle.js';

/** What became of a lead: the verb is the card's, or `erased` (personal data removed), `crm` from the CRM itself. */
export interface LeadChange {
  lead: Lead;
  verb: Verb | 'erased';
  by: Person;
}

export interface LeadChanges {
  /**
   * A saved change (saved through `owingTeams`, so what Teams is owed is on disk with it): the
   * outbox brings every posted card up to date and tells a new owner, the events follow. Waits
   * for none of them: whoever changed the lead is answered at once.
   */
  changed(change: LeadChange): void;
  /** New leads were stored (the webhook, an import, the table source): their cards and events are due. */
  received(): void;
}

/**
 * A change as it is to be saved (as the version `expectedVersion` + 1): every posted card owes an
 * update, and an assignment owes the new owner a personal notice. Marked in the save itself, so the
 * outbox sends them after the answer and a crash right after the save loses none.
 */
export function owingTeams(
  lead: Lead,
  change: Pick<LeadChange, 'verb' | 'by'>,
  expectedVersion: number,
  now: Date,
): Lead {
  const at = now.toISOString();
  const deliveries = lead.deliveries.map((d) =>
    d.state === 'posted' && d.activityId && d.nextAttemptAt === undefined ? { ...d, nextAttemptAt: at } : d,
  );
  const owner = lead.owner;
  if (change.verb !== 'assign' || !owner) return { ...lead, deliveries };
  return {
    ...lead,
    deliveries,
    ownerNotice: { to: owner, by: change.by.name, forVersion: expectedVersion + 1, state: 'owed' },
  };
}
