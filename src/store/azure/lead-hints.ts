// The index: small rows in the index table that point at leads (id and month), one partition per
// question, so the outbox, reminders and /healthz read a few small partitions instead of every
// lead. The lead's own row is the truth; a hint is only a pointer, and every reader checks it
// against the lead (`holds`). A writer adds the hints a change needs BEFORE writing the lead and
// removes the ones it no longer needs AFTER, so a crash in between leaves an extra hint (skipped,
// and removed once old) but never a missing one: no lead is lost from the outbox's sight.
import { type Lead, owesAnnouncement, owesCardUpdate } from '../../leads/lead.js';
import { isOpen } from '../../leads/lifecycle.js';
import { monthOf, toKey } from './keys.js';

export interface Hint {
  partitionKey: string;
  rowKey: string;
  /** The lead it points at: its id and month partition. */
  id: string;
  m: string;
  /** Failed cards of the lead (the `failed` hint only), summed by stats(). */
  n?: number;
}

/** The partitions of the index table (besides `id:`, `fp:` and the counters). */
export const P = {
  open: 'open',
  owed: 'owed',
  announce: 'announce',
  undelivered: 'undelivered',
  failed: 'failed',
  /** Every channel that ever had a card pending: which `pending:` partitions to read. */
  channels: 'channels',
  pending: (conversationId: string) => `pending:${toKey(conversationId)}`,
  email: (email: string) => `email:${toKey(email.toLowerCase())}`,
} as const;

/** Pending hints sort by arrival: the receivedAt, then the id. */
export const pendingRowKey = (lead: Pick<Lead, 'id' | 'receivedAt'>) =>
  `${lead.receivedAt}|${toKey(lead.id)}`;

export function hintsOf(lead: Lead): Hint[] {
  const pointer = { id: lead.id, m: monthOf(lead.receivedAt) };
  const key = toKey(lead.id);
  const hints: Hint[] = [];
  const add = (partitionKey: string, rowKey = key, extra: Partial<Hint> = {}) =>
    hints.push({ partitionKey, rowKey, ...pointer, ...extra });
  if (lead.customer.email) add(P.email(lead.customer.email));
  if (isOpen(lead)) add(P.open);
  for (const d of lead.deliveries)
    if (d.state === 'pending') add(P.pending(d.conversationId), pendingRowKey(lead));
  if (lead.deliveries.some(owesCardUpdate)) add(P.owed);
  if (owesAnnouncement(lead)) add(P.announce);
  if (lead.deliveries.every((d) => d.state === 'failed')) add(P.undelivered);
  const failed = lead.deliveries.filter((d) => d.state === 'failed').length;
  if (failed > 0) add(P.failed, key, { n: failed });
  return hints;
}

/** Whether the lead, as it is, still wants this hint (its figure `n` may lag; stats only sums it). */
export function holds(lead: Lead, hint: Pick<Hint, 'partitionKey' | 'rowKey'>): boolean {
  return hintsOf(lead).some((h) => h.partitionKey === hint.partitionKey && h.rowKey === hint.rowKey);
}

const id = (h: Pick<Hint, 'partitionKey' | 'rowKey'>) => `${h.partitionKey}\n${h.rowKey}`;

/** What to write before the lead (new or changed hints) and what to remove after it. */
export function diffHints(before: Lead | undefined, after: Lead): { add: Hint[]; remove: Hint[] } {
  const old = new Map((before ? hintsOf(before) : []).map((h) => [id(h), h]));
  const next = hintsOf(after);
  const nextIds = new Set(next.map(id));
  return {
    add: next.filter((h) => old.get(id(h))?.n !== h.n || !old.has(id(h))),
    remove: [...old.values()].filter((h) => !nextIds.has(id(h))),
  };
}
