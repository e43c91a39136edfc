// What the embedded store keeps in memory to answer without reading history: every lead's month,
// the fingerprints and e-mails of all history (hashed), the open leads, those owing Teams
// something, those owing lead events. The leads of closed months stay on disk (LeadPartitions).
import type { Lead } from '../../leads/lead.js';
import { isOpen } from '../../leads/lifecycle.js';
import { DeliveryIndex, isSettled } from '../delivery-index.js';
import { EventIndex } from '../event-index.js';
import { HASH_NAME, HashedIds, hashKey } from './hashed-ids.js';

/**
 * A closed month's leads as the indexes need them, kept in its index file: per lead its id, the
 * hashes of its fingerprints and e-mail, and whole only the leads memory must hold (open ones,
 * those owing Teams or lead events, for the endpoints named).
 */
export interface MonthSummary {
  hash: typeof HASH_NAME;
  endpoints: string;
  ids: string[];
  fingerprints: Array<number | number[]>;
  /** -1: no e-mail. */
  emails: number[];
  kept: Lead[];
}

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

  /** What a closed month's index file keeps of these leads (see MonthSummary). */
  summarize(leads: Lead[]): MonthSummary {
    return {
      hash: HASH_NAME,
      endpoints: this.events.signature(),
      ids: leads.map((lead) => lead.id),
      fingerprints: leads.map((lead) =>
        lead.repeats?.length
          ? [hashKey(lead.fingerprint), ...lead.repeats.map((r) => hashKey(r.fingerprint))]
          : hashKey(lead.fingerprint),
      ),
      emails: leads.map((lead) => (lead.customer.email ? hashKey(lead.customer.email.toLowerCase()) : -1)),
      kept: leads.filter((lead) => isOpen(lead) || !isSettled(lead) || this.events.holds(lead)),
    };
  }

  /**
   * Takes a month's summary into the indexes, or refuses it (false, nothing changed) when it is
   * not one or was made for other event endpoints: the month is then parsed instead.
   */
  restore(key: string, summary: unknown): boolean {
    const s = summary as Partial<MonthSummary> | undefined;
    const { ids, fingerprints, emails, kept } = s ?? {};
    const fits =
      s?.hash === HASH_NAME &&
      s.endpoints === this.events.signature() &&
      Array.isArray(ids) &&
      Array.isArray(fingerprints) &&
      Array.isArray(emails) &&
      Array.isArray(kept) &&
      fingerprints.length === ids.length &&
      emails.length === ids.length &&
      ids.every((id) => typeof id === 'string');
    if (!fits) return false;
    const month = this.month(key);
    for (const [i, id] of ids.entries()) {
      this.where.set(id, month);
      for (const h of [fingerprints[i] ?? []].flat()) this.byFingerprint.addHashed(h, id);
      const email = emails[i] ?? -1;
      if (email >= 0) this.byEmail.addHashed(email, id);
    }
    for (const lead of kept) this.index(lead);
    return true;
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
