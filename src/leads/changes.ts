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

export interface ChangeEffects {
  /** The lead was given to someone who could not be told in a personal chat (the cards say so). */
  ownerNotTold?: boolean;
}

export interface LeadChanges {
  /** A saved change: every posted card is brought up to date, a new owner is told, events follow. */
  changed(change: LeadChange): Promise<ChangeEffects>;
  /** New leads were stored (the webhook, an import, the table source): their cards and events are due. */
  received(): void;
  /** A new lead was stored already given to someone (auto-assign): they are told, as after an assignment. */
  assignedOnArrival(lead: Lead): void;
}
