// The read side of the Azure store for lists and figures: a few partitions per question (the
// months, or the index rows beside the leads), never every lead unless the question is "all".
import { odata } from '@azure/data-tables';
import type { Lead } from '../../leads/lead.js';
import { isOpen } from '../../leads/lifecycle.js';
import { receivedIn } from '../../leads/period.js';
import { findLeads } from '../../leads/queries.js';
import type { ChannelBacklog } from '../../leads/store.js';
import { fromAsciiText } from './columns.js';
import { monthsBetween } from './keys.js';
import { SEARCH_COLUMNS } from './lead-entity.js';
import { byArrival, type LeadRows } from './lead-rows.js';
import type { Table } from './table.js';

/** Open leads in a month from which one filtered query beats fetching them 14 at a time. */
const READ_WHOLE_MONTH_FROM = 150;

export class LeadQueries {
  constructor(
    private readonly tables: { leads: Table },
    private readonly rows: LeadRows,
  ) {}

  /** Every lead: a scan of the whole table (index rows left out), for exports and migrations. */
  listLeads(): Promise<Lead[]> {
    return this.leadsWhere('');
  }

  /**
   * Month by month from the `open` index rows: a month with few open leads (history) reads just
   * those; a month with many (the current one) is cheaper read whole, filtered by Azure.
   */
  async listOpenLeads(): Promise<Lead[]> {
    const byMonth = new Map<string, Array<{ id: string; m: string }>>();
    for (const hint of await this.rows.hints('open')) {
      const month = byMonth.get(hint.m) ?? [];
      month.push({ id: String(hint.id), m: hint.m });
      byMonth.set(hint.m, month);
    }
    const few = [...byMonth.values()].filter((pointers) => pointers.length <= READ_WHOLE_MONTH_FROM);
    const many = [...byMonth.keys()].filter((m) => (byMonth.get(m)?.length ?? 0) > READ_WHOLE_MONTH_FROM);
    const [pointed, ...whole] = await Promise.all([
      this.rows.readMany(few.flat()),
      ...many.map((m) => this.tables.leads.query(odata`PartitionKey eq ${m} and open eq true`)),
    ]);
    return [...pointed.values()]
      .map((s) => s.lead)
      .concat(whole.flat().map((row) => this.rows.parse(row).lead))
      .filter(isOpen)
      .sort(byArrival);
  }

  /** Retention's daily read: a scan filtered by Azure on the `closed` column. */
  listClosedLeads(): Promise<Lead[]> {
    return this.leadsWhere('closed eq true');
  }

  /** Reads only the small `q` column of each lead, then the leads that match. */
  async searchLeads(text: string): Promise<Lead[]> {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    const rows = await this.tables.leads.query('test eq false', SEARCH_COLUMNS);
    const hits = rows.filter((r) => {
      const haystack = fromAsciiText(r.q);
      return words.every((w) => haystack.includes(w));
    });
    const leads = await this.rows.readMany(hits.map((r) => ({ id: String(r.id), m: r.partitionKey })));
    return findLeads(
      [...leads.values()].map((s) => s.lead),
      text,
    );
  }

  /**
   * One query per month covered (in parallel). A month the period covers whole is read without a
   * filter (cheaper to serve); a month it cuts is filtered by Azure on the received time.
   */
  async listLeadsReceived(from: Date, to: Date): Promise<Lead[]> {
    const inPeriod = receivedIn(from, to);
    const [fromText, toText] = [from.toISOString(), to.toISOString()];
    const pages = await Promise.all(
      monthsBetween(from, to).map((month) => {
        const whole = fromText <= `${month}-01T00:00:00.000Z` && toText >= nextMonthStart(month);
        return this.tables.leads.query(
          whole
            ? odata`PartitionKey eq ${month}`
            : odata`PartitionKey eq ${month} and at ge ${fromText} and at lt ${toText}`,
        );
      }),
    );
    return pages
      .flat()
      .filter(isLeadRow)
      .map((row) => this.rows.parse(row).lead)
      .filter(inPeriod)
      .sort(byArrival);
  }

  /**
   * The pending index rows of every month (one small query each; they sort by channel, then
   * arrival), counted per channel, then each channel's `limit` oldest leads.
   */
  async pendingByChannel(limit: number): Promise<ChannelBacklog[]> {
    const byChannel = new Map<string, Array<{ id: string; m: string }>>();
    for (const hint of await this.rows.hints('pend', ['RowKey', 'id', 'c'])) {
      const channel = String(hint.c);
      const queue = byChannel.get(channel) ?? [];
      queue.push({ id: String(hint.id), m: hint.m });
      byChannel.set(channel, queue);
    }
    const leads = await this.rows.readMany([...byChannel.values()].flatMap((queue) => queue.slice(0, limit)));
    return [...byChannel].map(([conversationId, queue]) => ({
      conversationId,
      pending: queue.length,
      leads: queue
        .slice(0, limit)
        .flatMap((p) => leads.get(p.id)?.lead ?? [])
        .filter((lead) =>
          lead.deliveries.some((d) => d.conversationId === conversationId && d.state === 'pending'),
        ),
    }));
  }

  /** The figures stats() reads: pending cards, and failed ones (keys and figures only). */
  async deliveryCounts(): Promise<{ pendingDeliveries: number; failedDeliveries: number }> {
    const [pending, failed] = await Promise.all([
      this.rows.hints('pend', ['RowKey']),
      this.rows.hints('fail', ['RowKey', 'n']),
    ]);
    return {
      pendingDeliveries: pending.length,
      failedDeliveries: failed.reduce((sum, row) => sum + Number(row.n ?? 0), 0),
    };
  }

  /** The lead rows, counted one month at a time (keys only: index rows start with `~`). */
  async countLeads(): Promise<number> {
    const months = await this.rows.months();
    const counts = await Promise.all(
      months.map(
        async (m) =>
          (await this.tables.leads.query(odata`PartitionKey eq ${m} and RowKey lt '~'`, ['RowKey'])).length,
      ),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /** Leads written at or after `time` (Azure's own Timestamp): a scan filtered by Azure. */
  changedSince(time: Date): Promise<Lead[]> {
    return this.leadsWhere(odata`Timestamp ge ${time}`);
  }

  private async leadsWhere(filter: string): Promise<Lead[]> {
    const rows = await this.tables.leads.query(filter);
    return rows
      .filter(isLeadRow)
      .map((row) => this.rows.parse(row).lead)
      .sort(byArrival);
  }
}

/** Lead rows carry their JSON; the index rows beside them in the partition do not. */
function isLeadRow(row: Record<string, unknown>): boolean {
  return row.dn !== undefined;
}

/** `2026-11` → `2026-12-01T00:00:00.000Z`. */
function nextMonthStart(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 1)).toISOString();
}
