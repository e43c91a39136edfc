// What the embedded store keeps in memory to answer without walking history: leads by id, by
// fingerprint and by e-mail, the open ones, those owing Teams something, those owing lead events.
import type { Lead } from '../../leads/lead.js';
import { isOpen } from '../../leads/lifecycle.js';
import type { RollupBook } from '../../leads/rollup-book.js';
import { DeliveryIndex } from '../delivery-index.js';
import { EventIndex } from '../event-index.js';

export class LeadIndexes {
  readonly byId = new Map<string, Lead>();
  readonly byFingerprint = new Map<string, Lead>();
  /** e-mail → lead ids; may hold ids whose e-mail changed (erased), so callers re-check. */
  /** An id, or ids for the few repeat buyers: a Set per e-mail costs megabytes at 100k leads. */
  private readonly byEmail = new Map<string, string | string[]>();
  /** Leads still being worked: a fraction of history, asked for by commands and every reminder sweep. */
  readonly open = new Map<string, Lead>();
  /**
   * Leads with a card pending (per channel, in arrival order), failed or owed an update: the
   * outbox and /healthz ask often, and nearly all history is posted and current.
   */
  readonly unposted: DeliveryIndex;
  /** Leads owing lead events, per active endpoint. */
  readonly events = new EventIndex();
  /** Summary rollups (leads/rollup-book.ts), once built: they follow every change indexed. */
  rollups: RollupBook | undefined;

  constructor(inArrivalOrder: (leads: Lead[]) => Lead[]) {
    this.unposted = new DeliveryIndex(inArrivalOrder);
  }

  /** The leads whose customer had this e-mail (as the index knew it; still the same e-mail now). */
  withEmail(email: string): Lead[] {
    const wanted = email.toLowerCase();
    const ids = this.byEmail.get(wanted) ?? [];
    return (typeof ids === 'string' ? [ids] : ids)
      .map((id) => this.byId.get(id))
      .filter((lead): lead is Lead => lead !== undefined && lead.customer.email.toLowerCase() === wanted);
  }

  index(lead: Lead): void {
    this.rollups?.apply(this.byId.get(lead.id), lead);
    const arrivedLast = !this.byId.has(lead.id);
    this.byId.set(lead.id, lead);
    this.unposted.track(lead, arrivedLast);
    this.events.track(lead);
    if (isOpen(lead)) this.open.set(lead.id, lead);
    else this.open.delete(lead.id);
    this.byFingerprint.set(lead.fingerprint, lead);
    for (const repeat of lead.repeats ?? []) this.byFingerprint.set(repeat.fingerprint, lead);
    const email = lead.customer.email.toLowerCase();
    if (email) {
      const ids = this.byEmail.get(email);
      if (ids === undefined) this.byEmail.set(email, lead.id);
      else if (typeof ids === 'string') {
        if (ids !== lead.id) this.byEmail.set(email, [ids, lead.id]);
      } else if (!ids.includes(lead.id)) ids.push(lead.id);
    }
  }

  /** A change the disk refused: `lead` leaves the indexes, `durable` (what the disk holds) comes back. */
  reindex(lead: Lead, durable: Lead | undefined): void {
    this.unposted.forget(lead.id);
    this.events.forget(lead.id);
    this.open.delete(lead.id);
    if (this.byId.get(lead.id) === lead) {
      this.rollups?.apply(lead, undefined);
      this.byId.delete(lead.id);
    }
    for (const fingerprint of [lead.fingerprint, ...(lead.repeats ?? []).map((r) => r.fingerprint)])
      if (this.byFingerprint.get(fingerprint)?.id === lead.id) this.byFingerprint.delete(fingerprint);
    if (durable) this.index(durable);
  }
}
