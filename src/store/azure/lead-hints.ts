// The index: small rows that say which leads the outbox, reminders and /healthz want, so they read
// a few rows instead of every lead (still open, a card pending per channel, an update or an
// announcement owed, no channel, failed cards). Each lives in its lead's partition (the month) of the
// leads table, row key `~<kind>|…` (lead rows are keyed by id and never start with `~<letter>`),
// so a lead and its index rows change in ONE entity-group transaction, conditional on the lead's
// ETag: the index never lies, even after a crash, and a change costs one request. Reading a kind
// is one small range query per month (the months are listed in the index table).
//
// Only the e-mail index is global (a buyer's leads span months): a hint in the index table,
// written before the lead and removed after it, checked against the lead on every read.
import { type Lead, owesAnnouncement, owesChangeToTeams } from '../../leads/lead.js';
import { isOpen } from '../../leads/lifecycle.js';
import { monthOf, toKey } from './keys.js';

export type HintKind = 'open' | 'pend' | 'owed' | 'ann' | 'und' | 'fail' | 'ev' | 'evf';

export type Hint = {
  partitionKey: string;
  rowKey: string;
  /** The lead's id (the row key is escaped). */
  id: string;
  /** `pend`: the channel. */
  c?: string;
  /** `fail`: the lead's failed cards, summed by stats(). */
  n?: number;
};

/** Row keys of one kind run from `~<kind>|` up to (not including) `~<kind>}` ('}' follows '|'). */
export function kindRange(kind: HintKind): [string, string] {
  return [`~${kind}|`, `~${kind}}`];
}

/** Pending hints sort per channel by arrival: received time, then id. */
export function hintsOf(lead: Lead): Hint[] {
  const partitionKey = monthOf(lead.receivedAt);
  const key = toKey(lead.id);
  const hints: Hint[] = [];
  const add = (kind: HintKind, rest: string, extra: Partial<Hint> = {}) =>
    hints.push({ partitionKey, rowKey: `~${kind}|${rest}`, id: lead.id, ...extra });
  const channels = new Set(lead.deliveries.filter((d) => d.state === 'pending').map((d) => d.conversationId));
  for (const c of channels) add('pend', `${toKey(c)}|${lead.receivedAt}|${key}`, { c });
  if (isOpen(lead)) add('open', key);
  if (owesChangeToTeams(lead)) add('owed', key);
  if (owesAnnouncement(lead)) add('ann', key);
  if (lead.deliveries.every((d) => d.state === 'failed')) add('und', key);
  const failed = lead.deliveries.filter((d) => d.state === 'failed').length;
  if (failed > 0) add('fail', key, { n: failed });
  // Lead events (azure/event-rows.ts): owed to some endpoint, and given up on per endpoint.
  if (mayOweEvents(lead)) add('ev', key);
  for (const [endpoint, cursor] of Object.entries(lead.events ?? {}))
    if (cursor.failed) add('evf', `${toKey(endpoint)}|${key}`, { n: cursor.failed });
  return hints;
}

/**
 * Whether the lead may owe events to any endpoint, without knowing the endpoints (another instance
 * may know of one this one does not yet): a change past the least advanced cursor, or no cursor at
 * all. Never false when something is owed; leads it holds wrongly (nothing configured when they
 * changed) are settled by the event reader (azure/event-rows.ts), which then drops the row.
 */
function mayOweEvents(lead: Lead): boolean {
  if (lead.isTest || lead.history.length === 0) return false;
  const sent = Object.values(lead.events ?? {}).map((c) => c.sent);
  return sent.length === 0 || Math.min(...sent) < lead.history.length;
}

/** What a change writes beside the lead (new or changed rows) and deletes (rows it no longer has). */
export function diffHints(before: Lead | undefined, after: Lead): { put: Hint[]; remove: Hint[] } {
  const old = new Map((before ? hintsOf(before) : []).map((h) => [h.rowKey, h]));
  const next = hintsOf(after);
  const kept = new Set(next.map((h) => h.rowKey));
  return {
    put: next.filter((h) => !old.has(h.rowKey) || old.get(h.rowKey)?.n !== h.n),
    remove: [...old.values()].filter((h) => !kept.has(h.rowKey)),
  };
}

/** The global e-mail hint of a lead, if it has an address. */
export function emailHint(
  lead: Lead,
): { partitionKey: string; rowKey: string; id: string; m: string } | undefined {
  const email = lead.customer.email.toLowerCase();
  if (!email) return undefined;
  return {
    partitionKey: emailPartition(email),
    rowKey: toKey(lead.id),
    id: lead.id,
    m: monthOf(lead.receivedAt),
  };
}

export const emailPartition = (email: string) => `email:${toKey(email.toLowerCase())}`;
