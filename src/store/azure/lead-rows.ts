// Reading leads and their hints: one lead by id, many by pointer (grouped by month, a few per
// query), and an index partition checked against the leads it points at.
import { odata } from '@azure/data-tables';
import type { Lead } from '../../leads/lead.js';
import { monthOf, toKey } from './keys.js';
import { fromRow } from './lead-entity.js';
import { holds } from './lead-hints.js';
import type { StoredRow, Table } from './table.js';

export interface StoredLead {
  lead: Lead;
  etag: string;
}

/** Azure allows 15 comparisons in a filter: the partition, and 14 row keys. */
const KEYS_PER_QUERY = 14;
/** Queries in flight at once for one read. */
const PARALLEL = 8;
/** A hint its lead does not want is removed once this old: no writer is still in between by then. */
export const STALE_HINT_MS = 60_000;

export class LeadRows {
  /**
   * Id → month: a lead never changes month, so this is never stale. It saves the id row's read on
   * most reads; nothing else about a lead is kept between calls (other instances change them).
   */
  private readonly months = new Map<string, string>();

  constructor(
    readonly leads: Table,
    readonly index: Table,
  ) {}

  remember(lead: Lead): void {
    if (this.months.size > 200_000) this.months.clear();
    this.months.set(lead.id, monthOf(lead.receivedAt));
  }

  async monthOf(id: string): Promise<string | undefined> {
    const known = this.months.get(id);
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
    return row && this.parse(row);
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

  /**
   * The leads an index partition points at that still want their hint, in hint order. Hints their
   * lead no longer wants are skipped, and removed once old (only if unchanged since read).
   */
  async hinted(partitionKey: string): Promise<Lead[]> {
    const hints = await this.index.partition(partitionKey, [
      'PartitionKey',
      'RowKey',
      'id',
      'm',
      'Timestamp',
    ]);
    return this.resolve(hints);
  }

  async resolve(hints: StoredRow[]): Promise<Lead[]> {
    const leads = await this.readMany(hints.map((h) => ({ id: String(h.id), m: String(h.m) })));
    const wanted: Lead[] = [];
    for (const hint of hints) {
      const stored = leads.get(String(hint.id));
      if (stored && holds(stored.lead, hint)) wanted.push(stored.lead);
      else if (Date.now() - Date.parse(String(hint.timestamp)) > STALE_HINT_MS)
        void this.index.remove(hint.partitionKey, hint.rowKey, hint.etag).catch(() => undefined);
    }
    return wanted;
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
