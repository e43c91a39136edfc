// What the embedded store keeps in memory to answer without reading history: every lead's month,
// the fingerprints and e-mails of all history (hashed), the open leads, those owing Teams
// something, those owing lead events. The leads of closed months stay on disk (LeadPartitions).
import type { Lead } from '../../leads/lead.js';
import { isOpen } from '../../leads/lifecycle.js';
import { DeliveryIndex } from '../delivery-index.js';
import { EventIndex } from '../event-index.js';
import { HashedIds } from './hashed-ids.js';

export class LeadIndexes {
  /** Every lead's id → the month that holds it (`YYYY-MM`, one string per month). */
  readonly where = new Map<string, string>();
  private readonly months = new Map<string, string>();
  private readonly byFingerprint = new HashedIds();
  /** May hold ids whose e-mail changed (erased), so callers re-check. */
  private readonly byEmail = new HashedIds();
  /** Leads still being worked: a fraction of history, asked for by commands and every reminder sweep. */
  readonly open = new Map<string, Lead>();
  /**
   * Leads with a card pending (per channel, in arrival order), failed or owed an update: the
   * outbox and /healthz ask often, and nearly all history is posted and current.
   */
  readonly unposted: DeliveryIndex;
  /** Leads owing lead events, per active endpoint. */
  readonly events = new EventIndex();

  constructor(inArrivalOrder: (leads: Lead[]) => Lead[]) {
    this.unposted = new DeliveryIndex(inArrivalOrder);
  }

  /** The ids of the leads that may hold this fingerprint (check each). */
  withFingerprint(fingerprint: string): string[] {
    return this.byFingerprint.get(fingerprint);
  }

  /** The ids of the leads whose customer may have had this e-mail (check each). */
  withEmail(email: string): string[] {
    return this.byEmail.get(email.toLowerCase());
  }

  index(lead: Lead): void {
    const arrivedLast = !this.where.has(lead.id);
    this.where.set(lead.id, this.month(lead.receivedAt.slice(0, 7)));
    this.unposted.track(lead, arrivedLast);
    this.events.track(lead);
    if (isOpen(lead)) this.open.set(lead.id, lead);
    else this.open.delete(lead.id);
    this.byFingerprint.add(lead.fingerprint, lead.id);
    for (const repeat of lead.repeats ?? []) this.byFingerprint.add(repeat.fingerprint, lead.id);
    const email = lead.customer.email.toLowerCase();
    if (email) this.byEmail.add(email, lead.id);
  }

  /** A change the disk refused: `lead` leaves the indexes, `durable` (what the disk holds) comes back. */
  reindex(lead: Lead, durable: Lead | undefined): void {
    this.unposted.forget(lead.id);
    this.events.forget(lead.id);
    this.open.delete(lead.id);
    if (!durable) this.where.delete(lead.id);
    for (const fingerprint of [lead.fingerprint, ...(lead.repeats ?? []).map((r) => r.fingerprint)])
      this.byFingerprint.remove(fingerprint, lead.id);
    if (durable) this.index(durable);
  }

  /** One string per month, however many leads point at it. */
  private month(key: string): string {
    const known = this.months.get(key);
    if (known !== undefined) return known;
    this.months.set(key, key);
    return key;
  }
}
