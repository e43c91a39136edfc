import { type EventEndpoint, eventDueAt, eventsSettled, owesEvents } from '../leads/event-cursor.js';
import type { Lead } from '../leads/lead.js';
import type { EventEndpointStats } from '../leads/store.js';

/**
 * The leads that owe lead events, per active endpoint, kept up to date as each lead changes, so
 * the event sender's sweep costs per lead owing, not per lead held; and the events given up on,
 * per endpoint, for /healthz.
 */
export class EventIndex {
  private endpoints: EventEndpoint[] = [];
  /** Per active endpoint key: the leads owing it events (a Map keeps the order they began to owe). */
  private readonly owed = new Map<string, Map<string, Lead>>();
  /** Per lead with events given up on: its failed counts per endpoint key (to update the totals). */
  private readonly failedByLead = new Map<string, Record<string, number>>();
  private readonly failedTotals = new Map<string, number>();

  /** The endpoints changed (one added, stopped or removed): every lead is looked at again. */
  setEndpoints(endpoints: EventEndpoint[], leads: Iterable<Lead>): void {
    this.endpoints = endpoints.map((e) => ({ ...e }));
    this.owed.clear();
    for (const endpoint of this.endpoints) if (!endpoint.stopped) this.owed.set(endpoint.key, new Map());
    for (const lead of leads) this.trackOwed(lead);
  }

  /** Whether the active endpoints differ from these (so setEndpoints must walk the leads). */
  differs(endpoints: EventEndpoint[]): boolean {
    return activeEndpoints(endpoints) !== this.signature();
  }

  /** The active endpoints, as one string: what decides which leads owe events. */
  signature(): string {
    return activeEndpoints(this.endpoints);
  }

  /** Whether the index holds this lead (it owes events, or some were given up on). */
  holds(lead: Lead): boolean {
    return (
      this.endpoints.some((endpoint) => owesEvents(lead, endpoint)) ||
      Object.values(lead.events ?? {}).some((cursor) => cursor.failed)
    );
  }

  /** Keeps the endpoint list current when only what does not change "owed" changed. */
  replaceEndpoints(endpoints: EventEndpoint[]): void {
    this.endpoints = endpoints.map((e) => ({ ...e }));
  }

  track(lead: Lead): void {
    this.trackOwed(lead);
    this.trackFailed(lead.id, lead.events);
  }

  forget(leadId: string): void {
    for (const leads of this.owed.values()) leads.delete(leadId);
    this.trackFailed(leadId, undefined);
  }

  /** The leads owing `key` events, never tried or due earliest first; O(owing leads). */
  owedTo(key: string, limit: number): Lead[] {
    const leads = [...(this.owed.get(key)?.values() ?? [])];
    // A stable sort: leads never tried (0) keep the order in which they began to owe.
    return leads.sort((a, b) => eventDueAt(a, key) - eventDueAt(b, key)).slice(0, limit);
  }

  stats(): EventEndpointStats[] {
    return this.endpoints.map((endpoint) => {
      let owed = 0;
      const leads = this.owed.get(endpoint.key) ?? new Map<string, Lead>();
      for (const lead of leads.values()) owed += lead.history.length - eventsSettled(lead, endpoint);
      return {
        key: endpoint.key,
        owed,
        owingLeads: leads.size,
        failed: this.failedTotals.get(endpoint.key) ?? 0,
      };
    });
  }

  private trackOwed(lead: Lead): void {
    for (const endpoint of this.endpoints) {
      const leads = this.owed.get(endpoint.key);
      if (!leads) continue;
      if (owesEvents(lead, endpoint)) leads.set(lead.id, lead);
      else leads.delete(lead.id);
    }
  }

  private trackFailed(leadId: string, events: Lead['events']): void {
    // Nearly every lead: nothing ever given up on. Loading 100,000 leads goes through here.
    if (!this.failedByLead.has(leadId) && !Object.values(events ?? {}).some((c) => c.failed)) return;
    const before = this.failedByLead.get(leadId) ?? {};
    const after: Record<string, number> = {};
    for (const [key, cursor] of Object.entries(events ?? {})) if (cursor.failed) after[key] = cursor.failed;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const delta = (after[key] ?? 0) - (before[key] ?? 0);
      if (delta !== 0) this.failedTotals.set(key, (this.failedTotals.get(key) ?? 0) + delta);
    }
    if (Object.keys(after).length > 0) this.failedByLead.set(leadId, after);
    else this.failedByLead.delete(leadId);
  }
}

function activeEndpoints(list: EventEndpoint[]): string {
  return list
    .filter((e) => !e.stopped)
    .map((e) => `${e.key}@${e.since}`)
    .sort()
    .join(',');
}
