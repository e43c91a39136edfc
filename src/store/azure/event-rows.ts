// Lead events on Azure Tables. A lead's cursors live on the lead (bookkeeping, written at its ETag
// like a card's delivery); the `ev` index row beside it says it may owe some endpoint events, and
// `evf` rows count what was given up on, per endpoint. The rows cannot know the endpoints (another
// instance may have just added one), so `ev` is kept on the safe side: a lead changed while no
// endpoint was set carries it too. Such leads are settled here, once: their cursors start at the
// end of their history for every endpoint, which drops the row.
import {
  type EventEndpoint,
  eventDueAt,
  eventsSettled,
  owesEvents,
  patchEventCursor,
  requireEndpoint,
} from '../../leads/event-cursor.js';
import type { EventCursor, Lead } from '../../leads/lead.js';
import type { EventEndpointStats } from '../../leads/store.js';
import type { LeadQueries } from './lead-queries.js';
import { byArrival, type LeadRows } from './lead-rows.js';
import type { LeadWriter } from './lead-writer.js';
import type { SettingsRows } from './settings-rows.js';

/** Instances' clocks differ a little: a change stamped just before `since` is looked at too. */
const CLOCK_SKEW_MS = 60_000;

/** How long the endpoint list read is reused (one read per event sent otherwise). */
const ENDPOINTS_FRESH_MS = 10_000;

/** Leads settled per read: an upgrade's backlog is worked off over a few sweeps. */
const SETTLE_PER_READ = 200;

export class EventRows {
  /** The endpoint list as last read: only the lease holder sends events or changes the list. */
  private endpoints?: { list: Promise<EventEndpoint[]>; readAt: number };
  private settling?: Promise<void>;

  constructor(
    private readonly rows: LeadRows,
    private readonly writer: LeadWriter,
    private readonly settings: SettingsRows,
    private readonly queries: LeadQueries,
  ) {}

  /**
   * A new endpoint may be owed changes already made (its `since` in the past): those leads get a
   * cursor for it now, which keeps their `ev` row. Changes made from now on write the row anyway.
   */
  async putEventEndpoint(endpoint: EventEndpoint): Promise<void> {
    const known = (await this.settings.listEventEndpoints()).some((e) => e.key === endpoint.key);
    await this.settings.putEventEndpoint(endpoint);
    this.endpoints = undefined;
    if (known || endpoint.stopped) return;
    const since = new Date(Date.parse(endpoint.since) - CLOCK_SKEW_MS);
    for (const lead of await this.queries.changedSince(since)) {
      if (!owesEvents(lead, endpoint) || lead.events?.[endpoint.key]) continue;
      await this.writer.bookkeep(lead.id, (current) =>
        current.events?.[endpoint.key] ? current : patchEventCursor(current, endpoint, {}),
      );
    }
  }

  async listOwedEvents(endpointKey: string, limit: number): Promise<Lead[]> {
    const [endpoints, leads] = await Promise.all([this.currentEndpoints(), this.mayOwe()]);
    const endpoint = endpoints.find((e) => e.key === endpointKey);
    if (!endpoint || endpoint.stopped) return [];
    const active = endpoints.filter((e) => !e.stopped);
    const idle = leads.filter((lead) => !active.some((e) => owesEvents(lead, e)));
    if (idle.length > 0 && !this.settling)
      this.settling = this.settle(idle.slice(0, SETTLE_PER_READ), active).finally(() => {
        this.settling = undefined;
      });
    return leads
      .filter((lead) => owesEvents(lead, endpoint))
      .sort((a, b) => eventDueAt(a, endpointKey) - eventDueAt(b, endpointKey) || byArrival(a, b))
      .slice(0, limit);
  }

  async updateEventCursor(leadId: string, endpointKey: string, patch: Partial<EventCursor>): Promise<Lead> {
    const endpoints = await this.currentEndpoints();
    const endpoint = requireEndpoint(endpoints, endpointKey);
    // Every active endpoint gets its cursor on the lead as well, so the `ev` row (which looks at
    // the cursors the lead has) stays while any of them is still owed something.
    const active = endpoints.filter((e) => !e.stopped && e.key !== endpointKey);
    return this.writer.bookkeep(leadId, (lead) =>
      active.reduce(
        (next, other) => (next.events?.[other.key] ? next : patchEventCursor(next, other, {})),
        patchEventCursor(lead, endpoint, patch),
      ),
    );
  }

  async eventStats(): Promise<EventEndpointStats[]> {
    const [endpoints, leads, failedRows] = await Promise.all([
      this.settings.listEventEndpoints(),
      this.mayOwe(),
      this.rows.hints('evf', ['RowKey', 'id', 'n']),
    ]);
    return endpoints.map((endpoint) => {
      const owing = endpoint.stopped ? [] : leads.filter((lead) => owesEvents(lead, endpoint));
      const failedPrefix = `~evf|${endpoint.key}|`;
      return {
        key: endpoint.key,
        owed: owing.reduce((sum, lead) => sum + lead.history.length - eventsSettled(lead, endpoint), 0),
        owingLeads: owing.length,
        failed: failedRows
          .filter((row) => row.rowKey.startsWith(failedPrefix))
          .reduce((sum, row) => sum + Number(row.n ?? 0), 0),
      };
    });
  }

  async removeEventEndpoint(key: string): Promise<void> {
    await this.settings.removeEventEndpoint(key);
    this.endpoints = undefined;
  }

  /** Read again after a few seconds, and at once after a change made here. */
  private currentEndpoints(): Promise<EventEndpoint[]> {
    if (!this.endpoints || Date.now() - this.endpoints.readAt > ENDPOINTS_FRESH_MS) {
      const list = this.settings.listEventEndpoints();
      this.endpoints = { list, readAt: Date.now() };
      list.catch(() => {
        this.endpoints = undefined;
      });
    }
    return this.endpoints.list;
  }

  /** The leads an `ev` row points at (checked against each lead: a row is a hint). */
  private async mayOwe(): Promise<Lead[]> {
    return this.rows.hinted('ev');
  }

  /** Cursors at the end of the history for every active endpoint: nothing owed, the row goes. */
  private async settle(leads: Lead[], active: EventEndpoint[]): Promise<void> {
    if (active.length === 0) return;
    for (const lead of leads) {
      await this.writer
        .bookkeep(lead.id, (current) => {
          if (active.some((e) => owesEvents(current, e))) return current; // it changed meanwhile
          const events: Record<string, EventCursor> = {};
          for (const e of active)
            events[e.key] = current.events?.[e.key] ?? { sent: eventsSettled(current, e) };
          return { ...current, events };
        })
        .catch(() => undefined); // a hint left for the next read
    }
  }
}
