import { ConflictError, StorageError } from '../errors.js';
import type { Arrival } from './auto-assignment.js';
import { holdsFingerprint, type IncomingLead, type Lead } from './lead.js';
import { newLeadId } from './lead-id.js';
import { parseMarketplaceLead } from './marketplace-payload.js';
import { computePriority } from './priority.js';
import { attachRepeat, findRepeatTarget } from './repeats.js';
import { pendingDelivery, routeLead } from './routing.js';
import type { LeadStore } from './store.js';

export type IntakeStatus = 'accepted' | 'duplicate' | 'test';

export interface IntakeResult {
  lead: Lead;
  status: IntakeStatus;
  /** True when the lead was a repeat of a buyer the team already has. */
  repeat: boolean;
}

const MAX_ATTEMPTS = 3;

/**
 * Parse → classify → dedupe → store durably. Resolves only once the lead is on disk; throws
 * ValidationError (nothing stored) for a body that is not a lead.
 */
export async function receiveLead(
  store: LeadStore,
  rawBody: string,
  now: Date,
  arrivals?: Arrivals,
): Promise<IntakeResult> {
  return receiveIncoming(store, parseMarketplaceLead(rawBody), now, MARKETPLACE, arrivals);
}

/** What gives a new lead its owner before it is stored (auto-assignment.ts), when auto-assign is on. */
export interface Arrivals {
  onArrival(lead: Lead): Promise<Arrival>;
}

/** Where a new lead came from, as its first history entry says. */
export interface LeadOrigin {
  /** The system name the entry is by ("Marketplace", "Partner Center export"). */
  by: string;
  /** `received` from the marketplace; `recovered` from a Partner Center export. */
  action: string;
  /** When the lead was created, if not now (an export's LeadCreationDateTime). */
  receivedAt?: string;
  note?: string;
}

const MARKETPLACE: LeadOrigin = { by: 'Marketplace', action: 'received' };

/** The same dedupe and store for a lead parsed elsewhere (a Partner Center export row). */
export async function receiveIncoming(
  store: LeadStore,
  incoming: IncomingLead,
  now: Date,
  origin: LeadOrigin = MARKETPLACE,
  arrivals?: Arrivals,
): Promise<IntakeResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storeIncoming(store, incoming, now, origin, arrivals);
    } catch (error) {
      // Two sightings of one buyer raced for the same lead: look again, the winner is stored.
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function storeIncoming(
  store: LeadStore,
  incoming: IncomingLead,
  now: Date,
  origin: LeadOrigin,
  arrivals: Arrivals | undefined,
): Promise<IntakeResult> {
  // Independent reads at once: on a remote store they are round trips, not one after another. The
  // e-mail address is in the fingerprint, so the e-mail read finds a payload stored before; the
  // fingerprint is looked up only for a lead without one (a read less per lead on Azure). One stored
  // between these reads and createLead is refused there, with the lead that holds it.
  const [known, sameEmail, routing] = await Promise.all([
    incoming.customer.email ? undefined : store.findByFingerprint(incoming.fingerprint),
    store.findByEmail(incoming.customer.email),
    store.getRouting(),
  ]);
  // The same payload stored by another instance between the two reads: the e-mail read sees it.
  const stored = known ?? sameEmail.find((lead) => holdsFingerprint(lead, incoming.fingerprint));
  if (stored) return { lead: stored, status: 'duplicate', repeat: false };
  const target = findRepeatTarget(sameEmail, incoming, now);
  if (target) {
    const lead = await store.saveLead(attachRepeat(target, incoming, now), target.version);
    return { lead, status: 'accepted', repeat: true };
  }
  const built = buildLead(incoming, now, routeLead(incoming, routing), origin);
  // Leads from the marketplace find their owner on arrival; recovered ones (an import) wait for a person.
  const arrival: Arrival =
    arrivals && origin.action === MARKETPLACE.action
      ? await arrivals.onArrival(built)
      : { lead: built, settled: () => {} };
  let tries = 0;
  // The lead is acknowledged once it is on disk; its owner's turn follows with the settings' next
  // write (auto-assignment.ts): only the rotation's evenness waits on it, never the lead.
  const { lead, created } = await createOnce(store, incoming, () =>
    tries++ === 0 ? arrival.lead : { ...arrival.lead, id: newLeadId() },
  ).finally(arrival.settled);
  if (!created) return { lead, status: 'duplicate', repeat: false };
  return { lead, status: lead.isTest ? 'test' : 'accepted', repeat: false };
}

export interface CreateResult {
  lead: Lead;
  /** False when a lead with the same payload (fingerprint) was stored already. */
  created: boolean;
}

const MAX_ID_ATTEMPTS = 20;

/**
 * Stores the lead `build` makes, once: the store refuses a taken id (a new one is drawn) or a
 * taken fingerprint (the lead that has it is the answer). Safe with many writers on one store.
 */
export async function createOnce(
  store: LeadStore,
  incoming: IncomingLead,
  build: (incoming: IncomingLead) => Lead,
): Promise<CreateResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { lead: await store.createLead(build(incoming)), created: true };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const holder = error.current as Lead | undefined;
      if (holder && holdsFingerprint(holder, incoming.fingerprint)) return { lead: holder, created: false };
      if (attempt >= MAX_ID_ATTEMPTS)
        throw new StorageError(`Could not find a free lead id after ${MAX_ID_ATTEMPTS} attempts.`);
    }
  }
}

function buildLead(
  incoming: IncomingLead,
  now: Date,
  target: ReturnType<typeof routeLead>,
  origin: LeadOrigin,
): Lead {
  const at = now.toISOString();
  return {
    ...incoming,
    id: newLeadId(),
    receivedAt: origin.receivedAt ?? at,
    status: 'new',
    history: [
      {
        at,
        by: { aadObjectId: 'system', name: origin.by },
        action: origin.action,
        to: 'new',
        ...(origin.note ? { note: origin.note } : {}),
      },
    ],
    deliveries: target ? [pendingDelivery(target)] : [],
    priority: computePriority({ ...incoming, repeats: [] }),
    version: 1,
  };
}
