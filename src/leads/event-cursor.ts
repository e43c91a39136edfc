// Which of a lead's changes an events endpoint still owes: the lead's history is its event log
// (entry 0 is its arrival), and each endpoint's cursor says how far it got. Plain data, no I/O:
// every store's index and the sender decide "owed" with these.
import { NotFoundError } from '../errors.js';
import type { EventCursor, Lead } from './lead.js';

/** An events endpoint as the store keeps it (the URL itself stays in the config: it may hold a key). */
export interface EventEndpoint {
  /** Short stable hash of the URL. */
  key: string;
  /** When it was first configured: changes made before then are not owed to it. */
  since: string;
  /** It answered 410 Gone: nothing more goes there while its URL stays configured. */
  stopped?: { at: string; status: number; managersTold?: boolean };
  /** Managers were told that events to it are being given up on (cleared by the next success). */
  failureToldAt?: string;
}

/** The settled count for a lead no event has gone out for yet: the changes made before `since`. */
export function eventsSettled(lead: Lead, endpoint: Pick<EventEndpoint, 'key' | 'since'>): number {
  const cursor = lead.events?.[endpoint.key];
  if (cursor) return cursor.sent;
  let before = 0;
  while (before < lead.history.length && (lead.history[before]?.at ?? '') < endpoint.since) before++;
  return before;
}

/** Test leads (Partner Center's MSFT_TEST_…) are never sent: they would become CRM records. */
export function owesEvents(lead: Lead, endpoint: EventEndpoint): boolean {
  return !endpoint.stopped && !lead.isTest && eventsSettled(lead, endpoint) < lead.history.length;
}

/** When the next event of this lead to this endpoint may go (0: now). */
export function eventDueAt(lead: Lead, endpointKey: string): number {
  const next = lead.events?.[endpointKey]?.nextAttemptAt;
  return next ? Date.parse(next) : 0;
}

/** The bookkeeping patch, applied to the lead as it is (the store does this atomically). */
export function patchEventCursor(lead: Lead, endpoint: EventEndpoint, patch: Partial<EventCursor>): Lead {
  const current: EventCursor = lead.events?.[endpoint.key] ?? { sent: eventsSettled(lead, endpoint) };
  const next: EventCursor = { ...current, ...patch };
  for (const key of Object.keys(next) as Array<keyof EventCursor>)
    if (next[key] === undefined) delete next[key];
  return { ...lead, events: { ...lead.events, [endpoint.key]: next } };
}

/** What saveLead stores: the lead's own change, with the event bookkeeping the store holds now. */
export function keepEventCursors(changed: Lead, stored: Lead): Lead {
  const { events: _ignored, ...rest } = changed;
  return stored.events ? { ...rest, events: stored.events } : rest;
}

/** The endpoint a cursor belongs to (its `since` gives a first cursor its start). */
export function requireEndpoint(endpoints: readonly EventEndpoint[], key: string): EventEndpoint {
  const endpoint = endpoints.find((e) => e.key === key);
  if (!endpoint) throw new NotFoundError(`No events endpoint ${key}.`);
  return endpoint;
}
