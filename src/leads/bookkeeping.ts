// Bookkeeping changes to a lead, the same for every store: they record what was sent to Teams and
// when to try again, never the lead's own state, so they leave its version (and the card) as is.
// A store applies one atomically to its current copy, so it cannot undo a concurrent claim.
import { NotFoundError } from '../errors.js';
import { keepEventCursors } from './event-cursor.js';
import { type Delivery, type Lead, type OwnerNotice, owesCardUpdate, type RepeatSighting } from './lead.js';

/**
 * `ifVersion`: only while the lead is still at that version (a card update that showed it settles
 * what was owed; one saved since is owed still). Otherwise the lead is returned as it is.
 */
export function patchDelivery(
  lead: Lead,
  conversationId: string,
  patch: Partial<Delivery>,
  ifVersion?: number,
): Lead {
  if (!lead.deliveries.some((d) => d.conversationId === conversationId))
    throw new NotFoundError(`Lead ${lead.id} has no delivery to ${conversationId}.`);
  if (ifVersion !== undefined && lead.version !== ifVersion) return lead;
  return {
    ...lead,
    deliveries: lead.deliveries.map((d) => (d.conversationId === conversationId ? { ...d, ...patch } : d)),
  };
}

/** The owner notice of the assignment that saved `forVersion`; a newer one (or none) stays as it is. */
export function patchOwnerNotice(lead: Lead, forVersion: number, patch: Partial<OwnerNotice>): Lead {
  if (lead.ownerNotice?.forVersion !== forVersion) return lead;
  return { ...lead, ownerNotice: { ...lead.ownerNotice, ...patch } };
}

export function patchReminders(lead: Lead, patch: NonNullable<Lead['reminders']>): Lead {
  return { ...lead, reminders: { ...lead.reminders, ...patch } };
}

export function patchRepeat(lead: Lead, index: number, patch: Partial<RepeatSighting>): Lead {
  const repeats = lead.repeats ?? [];
  if (!repeats[index]) throw new NotFoundError(`Lead ${lead.id} has no repeat sighting ${index}.`);
  return { ...lead, repeats: repeats.map((r, i) => (i === index ? { ...r, ...patch } : r)) };
}

/** Deliveries to channels the lead has none for yet (it arrived before any channel existed). */
export function withDeliveries(lead: Lead, deliveries: Delivery[]): Lead {
  const known = new Set(lead.deliveries.map((d) => d.conversationId));
  return {
    ...lead,
    deliveries: [...lead.deliveries, ...deliveries.filter((d) => !known.has(d.conversationId))],
  };
}

/** A team's failed cards back in the queue (the bot is back); undefined when the lead has none. */
export function requeueFailed(lead: Lead, teamId: string): Lead | undefined {
  if (!lead.deliveries.some((d) => d.teamId === teamId && d.state === 'failed')) return undefined;
  const deliveries = lead.deliveries.map((d): Delivery => {
    if (d.teamId !== teamId || d.state !== 'failed') return d;
    const { nextAttemptAt: _next, ...rest } = d;
    return { ...rest, state: 'pending', attempts: 0 };
  });
  return { ...lead, deliveries };
}

/**
 * What saveLead stores: the lead's own change on top of the bookkeeping the store holds now. The
 * caller read the lead a moment ago; a card posted, a reminder sent or an event delivered since
 * then must not be undone by its save (a card put back to pending would be posted twice). New
 * repeat sightings the change adds are kept; erasure's changes to a sighting's payload too. What
 * the change owes Teams (leads/changes.ts: card updates, a new owner's notice) is added to it.
 */
export function keepBookkeeping(changed: Lead, stored: Lead): Lead {
  const { reminders: _reminders, ownerNotice: _notice, ...rest } = keepEventCursors(changed, stored);
  const ownerNotice = newerNotice(changed.ownerNotice, stored.ownerNotice);
  const repeats = changed.repeats?.map((repeat, i) => {
    const kept = stored.repeats?.[i];
    if (!kept) return repeat;
    const { announce, announcedIn, nextAttemptAt, attempts } = kept;
    const { announce: _a, announcedIn: _i, nextAttemptAt: _n, attempts: _t, ...own } = repeat;
    return { ...own, ...defined({ announce, announcedIn, nextAttemptAt, attempts }) };
  });
  return {
    ...rest,
    deliveries: stored.deliveries.map((d) => withOwedUpdate(d, changed)),
    ...(stored.reminders ? { reminders: stored.reminders } : {}),
    ...(ownerNotice ? { ownerNotice } : {}),
    ...(repeats ? { repeats } : {}),
  };
}

/** A posted card the change owes an update to; one already owed keeps its retry time (Teams' pace). */
function withOwedUpdate(stored: Delivery, changed: Lead): Delivery {
  if (stored.state !== 'posted' || owesCardUpdate(stored)) return stored;
  const owed = changed.deliveries.find(
    (d) => d.conversationId === stored.conversationId && owesCardUpdate(d),
  );
  return owed?.nextAttemptAt ? { ...stored, nextAttemptAt: owed.nextAttemptAt } : stored;
}

/** A new assignment's notice replaces the stored one; otherwise the stored one (its progress) stays. */
function newerNotice(changed?: OwnerNotice, stored?: OwnerNotice): OwnerNotice | undefined {
  return changed && changed.forVersion > (stored?.forVersion ?? 0) ? changed : stored;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
