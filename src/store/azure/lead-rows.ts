// Reading leads and their index rows: one lead by id, many by pointer (grouped by month, a few
// per query), the index rows of a kind across the months, the leads of an e-mail address.
import { odata } from '@azure/data-tables';
import type { Lead } from '../../leads/lead.js';
import { monthOf, toKey } from './keys.js';
import { fromRow } from './lead-entity.js';
import { emailPartition, type HintKind, hintsOf, kindRange } from './lead-hints.js';
import type { StoredRow, Table } from './table.js';

export interface StoredLead {
  lead: Lead;
  etag: string;
}

/** Azure allows 15 comparisons in a filter: the partition, and 14 row keys. */
const KEYS_PER_QUERY = 14;
/** Queries in flight at once for one read. */
const PARALLEL = 8;
/** An e-mail hint its lead does not want is removed once this old: no writer is still in between. */
const STALE_HINT_MS = 60_000;
const MONTHS = 'months';
/**
 * The month list is read again after this long. Between reads, a month first written by another
 * instance is missed by this one's lists and index sweeps (never by a read by id): its leads are
 * listed, and their cards posted, up to this much later. Months this instance writes are added at once.
 */
const MONTHS_FRESH_MS = 10_000;
/**
 * Leads as last read or written here, with their ETag: where a write starts (it is conditional on
 * that ETag, so a stale one costs a failed try and a fresh read, never a lost change). Never
 * answers a read. Kept for a little while, for the few leads being worked on.
 */
const LAST_SEEN_MAX = 256;
const LAST_SEEN_MS = 30_000;

export class LeadRows {
  /**
   * Id → month: a lead never changes month, so this is never stale. It saves the id row's read on
   * most reads; nothing else about a lead is kept between calls (other instances change them).
   */
  private readonly monthById = new Map<string, string>();
  /** Months known to be listed: the list only grows. */
  private readonly knownMonths = new Set<string>();
  private monthsRead?: { at: number; list: Promise<string[]> };
  private readonly lastSeen = new Map<string, StoredLead & { at: number }>();

  constructor(
    readonly leads: Table,
    readonly index: Table,
  ) {}

  remember(lead: Lead): void {
    if (this.monthById.size > 200_000) this.monthById.clear();
    this.monthById.set(lead.id, monthOf(lead.receivedAt));
  }

  async monthOf(id: string): Promise<string | undefined> {
    const known = this.monthById.get(id);
    if (known) return known;
    const row = await this.index.get(`id:${toKey(id)}`, '');
    return row ? String(row.m) : undefined;
  }

  async read(id: string): Promise<StoredLead | undefined> {
    const month = await this.monthOf(id);
    if (!month) return undefined;
    return this.readAt(id, month);
  }

  async readAt(id: string, month: string): Promise<StoredLead | undefined> {
    const row = await this.leads.get(month, toKey(id));
    if (!row) return undefined;
    const stored = this.parse(row);
    this.noteSeen(stored);
    return stored;
  }

  /** The lead as this instance last read or wrote it, if recently: a write's starting point only. */
  lastSeenOf(id: string): StoredLead | undefined {
    const seen = this.lastSeen.get(id);
    if (!seen || Date.now() - seen.at > LAST_SEEN_MS) return undefined;
    return seen;
  }

  noteSeen(stored: StoredLead): void {
    this.lastSeen.delete(stored.lead.id);
    if (this.lastSeen.size >= LAST_SEEN_MAX)
      this.lastSeen.delete(this.lastSeen.keys().next().value as string);
    // A copy: what callers do with the lead they were handed cannot change where a write starts.
    this.lastSeen.set(stored.lead.id, {
      lead: structuredClone(stored.lead),
      etag: stored.etag,
      at: Date.now(),
    });
  }

  forgetSeen(id: string): void {
    this.lastSeen.delete(id);
  }

  parse(row: StoredRow): StoredLead {
    const lead = fromRow(row);
    this.remember(lead);
    return { lead, etag: row.etag };
  }

  /** The leads pointed at (missing ones left out), in no particular order. */
  async readMany(pointers: Array<{ id: string; m: string }>): Promise<Map<string, StoredLead>> {
    const byMonth = new Map<string, Set<string>>();
    for (const { id, m } of pointers) byMonth.set(m, (byMonth.get(m) ?? new Set()).add(id));
    const queries: Array<() => Promise<StoredRow[]>> = [];
    for (const [month, ids] of byMonth) {
      const keys = [...ids].map(toKey);
      for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
        const some = keys.slice(i, i + KEYS_PER_QUERY);
        const rows = some.map((key) => odata`RowKey eq ${key}`).join(' or ');
        queries.push(() => this.leads.query(`${odata`PartitionKey eq ${month}`} and (${rows})`));
      }
    }
    const found = new Map<string, StoredLead>();
    await inParallel(queries, PARALLEL, (rows) => {
      for (const row of rows) {
        const stored = this.parse(row);
        found.set(stored.lead.id, stored);
      }
    });
    return found;
  }

  /** Every month that holds leads (the `months` partition of the index table). */
  async months(): Promise<string[]> {
    const read = this.monthsRead;
    if (!read || Date.now() - read.at > MONTHS_FRESH_MS) {
      const list = this.index.partition(MONTHS, ['RowKey']).then((rows) => rows.map((row) => row.rowKey));
      this.monthsRead = { at: Date.now(), list };
      list.catch(() => {
        if (this.monthsRead?.list === list) this.monthsRead = undefined; // not kept: read again
      });
    }
    for (const month of await (this.monthsRead as { list: Promise<string[]> }).list)
      this.knownMonths.add(month);
    return [...this.knownMonths].sort();
  }

  /** Lists the month before its first lead is written (once per month and instance). */
  async noteMonth(month: string): Promise<void> {
    if (this.knownMonths.has(month)) return;
    await this.index.upsert({ partitionKey: MONTHS, rowKey: month });
    this.knownMonths.add(month);
  }

  /** The index rows of one kind, month by month (oldest first), each in row-key order. */
  async hints(
    kind: HintKind,
    select: string[] = ['RowKey', 'id'],
  ): Promise<Array<StoredRow & { m: string }>> {
    const [from, to] = kindRange(kind);
    const months = await this.months();
    const pages = await Promise.all(
      months.map(async (m) =>
        (
          await this.leads.query(odata`PartitionKey eq ${m} and RowKey ge ${from} and RowKey lt ${to}`, [
            'PartitionKey',
            ...select,
          ])
        ).map((row) => ({ ...row, m })),
      ),
    );
    return pages.flat();
  }

  /** The leads of one kind of index row, in arrival order. */
  async hinted(kind: HintKind): Promise<Lead[]> {
    const hints = await this.hints(kind);
    const leads = await this.readMany(hints.map((h) => ({ id: String(h.id), m: h.m })));
    const rows = new Set(hints.map((h) => h.rowKey));
    // Checked against the lead all the same: cheap, and true whatever wrote the rows.
    return [...leads.values()]
      .map((s) => s.lead)
      .filter((lead) => hintsOf(lead).some((h) => rows.has(h.rowKey)))
      .sort(byArrival);
  }

  /**
   * The leads an e-mail hint points at that still have that address. Hints whose lead moved on
   * (a change that failed half-way, an erasure) are skipped, and removed once old, at their ETag.
   */
  async byEmail(email: string): Promise<Lead[]> {
    const hints = await this.index.partition(emailPartition(email), ['PartitionKey', 'RowKey', 'id', 'm']);
    const leads = await this.readMany(hints.map((h) => ({ id: String(h.id), m: String(h.m) })));
    const wanted: Lead[] = [];
    for (const hint of hints) {
      const stored = leads.get(String(hint.id));
      if (stored && stored.lead.customer.email.toLowerCase() === email.toLowerCase())
        wanted.push(stored.lead);
      else if (Date.now() - Date.parse(String(hint.timestamp)) > STALE_HINT_MS)
        void this.index.remove(hint.partitionKey, hint.rowKey, hint.etag).catch(() => undefined);
    }
    return wanted.sort(byArrival);
  }
}

async function inParallel<T>(
  tasks: Array<() => Promise<T>>,
  width: number,
  each: (value: T) => void,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as () => Promise<T>;
      each(await task());
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
}

/** Arrival order: received time, then id (Azure keeps no insertion order across partitions). */
export function byArrival(a: Lead, b: Lead): number {
  return a.receivedAt === b.receivedAt
    ? a.id < b.id
      ? -1
      : a.id > b.id
        ? 1
        : 0
    : a.receivedAt < b.receivedAt
      ? -1
      : 1;
}
