import { ConflictError } from '../errors.js';
import type { Lead } from './lead.js';
import {
  type Actor,
  applyAction,
  checkVersion,
  type LeadAction,
  type RefusalCode,
  RefusedError,
} from './lifecycle.js';
import type { Installations, Leads } from './store.js';

/** Where an action comes from: the team and tenant of a card click, the tab's token, a command. */
export interface Place {
  teamId?: string;
  tenantId?: string;
}

export interface ActRequest {
  leadId: string;
  /** The version the actor saw (on the card, in the tab): anything else is a stale action. */
  version: number;
  action: LeadAction;
  actor: Actor;
  place: Place;
}

/** What became of an action: every surface renders these, none decides them. */
export type ActOutcome =
  | { outcome: 'saved'; lead: Lead; previous: Lead }
  | { outcome: 'stale'; current: Lead }
  | { outcome: 'refused'; refusal: RefusalCode; lead: Lead }
  /** No such lead, or not in this team or tenant: the same answer, so nothing is learnt from it. */
  | { outcome: 'not_found' };

export interface WorkflowDeps {
  store: Leads & Installations;
  now: () => Date;
}

/**
 * Acting on a lead, the one use case every surface calls (card clicks, commands, the tab): the
 * lead must be where the action comes from, the version the one the actor saw, the action allowed
 * to this actor in this status; the store saves it only from that version, so of two actors one
 * wins and the other is told who did what.
 */
export async function act(deps: WorkflowDeps, request: ActRequest): Promise<ActOutcome> {
  const lead = await deps.store.getLead(request.leadId);
  if (!lead || !(await isInPlace(lead, request.place, deps.store))) return { outcome: 'not_found' };
  try {
    checkVersion(lead, request.version);
    const changed = applyAction(lead, request.action, request.actor, deps.now());
    return { outcome: 'saved', lead: await deps.store.saveLead(changed, lead.version), previous: lead };
  } catch (error) {
    // A stale card, or another actor saving first: either way the actor sees the current lead.
    if (error instanceof ConflictError) return { outcome: 'stale', current: error.current as Lead };
    if (error instanceof RefusedError) return { outcome: 'refused', refusal: error.refusal, lead };
    throw error;
  }
}

/**
 * An action counts only where the lead lives (card data can be forged or pasted elsewhere): in a
 * team, the lead must have been posted to that team; anywhere, the tenant must be that of a team
 * the lead was posted to. A lead no channel has seen yet (no delivery) can only be reached by id:
 * allowed in the bot's tenants.
 */
export async function isInPlace(lead: Lead, place: Place, store: Installations): Promise<boolean> {
  const teams = new Set(lead.deliveries.map((d) => d.teamId));
  if (place.teamId && !teams.has(place.teamId)) return false;
  const tenants = new Set<string>();
  for (const teamId of teams) {
    const installation = await store.getInstallation(teamId);
    if (installation?.tenantId) tenants.add(installation.tenantId);
  }
  if (tenants.size === 0) {
    for (const installation of await store.listInstallations()) tenants.add(installation.tenantId);
  }
  return place.tenantId !== undefined && tenants.has(place.tenantId);
}
