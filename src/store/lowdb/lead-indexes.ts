// What the embedded store keeps in memory to answer without reading history: every lead's month,
// the fingerprints and e-mails of all history (hashed), the open leads, those owing Teams
// something, those owing lead events. The leads of closed months stay on disk (LeadPartitions).
import type { Lead } from '../../leads/lead.js';
import { isOpen } from '../../leads/lifecycle.js';
import { DeliveryIndex, isSettled } from '../delivery-index.js';
import { EventIndex } from '../event-index.js';
import { ClosedMonthIds } from './closed-month-ids.js';
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
  /**
   * The months restored from their index files, by month: their ids, fingerprints and e-mails in
   * sorted arrays (most of history). What is indexed from leads (this month and the last, months
   * read whole, leads changed or added since) is in the maps below; a closed month's lead changed
   * since is in both, and answered once.
   */
  private readonly closed = new Map<string, ClosedMonthIds>();
  /** Ids of leads indexed from the leads themselves → the month that holds them (one string per month). */
  private readonly where = new Map<string, string>();
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

  /** How many leads there are. */
  get count(): number {
    let count = this.where.size;
    for (const month of this.closed.values()) count += month.size;
    return count;
  }

  /** The month (`YYYY-MM`) that holds the lead with this id; undefined if there is none. */
  monthOf(id: string): string | undefined {
    const month = this.where.get(id);
    if (month !== undefined) return month;
    const hash = hashKey(id);
    for (const closed of this.closed.values()) if (closed.has(id, hash)) return closed.month;
    return undefined;
  }

  /** The ids of the leads that may hold this fingerprint (check each). */
  withFingerprint(fingerprint: string): string[] {
    const h = hashKey(fingerprint);
    return this.candidates(this.byFingerprint.getHashed(h), (month) => month.withFingerprint(h));
  }

  /** The ids of the leads whose customer may have had this e-mail (check each). */
  withEmail(email: string): string[] {
    const lower = email.toLowerCase();
    const h = hashKey(lower);
    return this.candidates(this.byEmail.getHashed(h), (month) => month.withEmail(h));
  }

  index(lead: Lead): void {
    const key = lead.receivedAt.slice(0, 7);
    // A lead of a restored month is known there already (its month never changes): looked up in
    // that month alone, not all history, since this runs for every lead indexed at start.
    const restored = this.closed.get(key)?.has(lead.id) ?? false;
    const arrivedLast = !restored && !this.where.has(lead.id);
    if (!restored) this.where.set(lead.id, this.month(key));
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
      ids.every((id) => typeof id === 'string') &&
      kept.every((lead) => typeof lead?.id === 'string' && typeof lead.receivedAt === 'string') &&
      fingerprints.every((h) => (Array.isArray(h) ? h.every(isHash) : isHash(h))) &&
      emails.every((h) => h === -1 || isHash(h)) &&
      ids.length < 2 ** 22 && // held in ClosedMonthIds's packed pairs; a larger month is parsed
      !this.closed.has(key);
    if (!fits) return false;
    this.closed.set(key, ClosedMonthIds.of(this.month(key), ids, fingerprints, emails));
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

  /** Ids from the maps and from each restored month, each once. */
  private candidates(indexed: string[], inMonth: (month: ClosedMonthIds) => string[]): string[] {
    const ids = new Set(indexed);
    for (const month of this.closed.values()) for (const id of inMonth(month)) ids.add(id);
    return [...ids];
  }

  /** One string per month, however many leads point at it. */
  private month(key: string): string {
    const known = this.months.get(key);
    if (known !== undefined) return known;
    this.months.set(key, key);
    return key;
  }
}

/** A hash as hashKey makes them: a whole number of 30 bits. */
function isHash(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < 2 ** 30;
}
