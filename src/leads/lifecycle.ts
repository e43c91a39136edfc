import { ConflictError, ForbiddenError } from '../errors.js';
import type { Lead, LeadStatus, Person } from './lead.js';

/** Who is acting, as the domain needs to know it. */
export interface Actor extends Person {
  isGuest: boolean;
  isManager: boolean;
}

/** Refusal codes; the bot turns each into a sentence in the user's language. */
export type RefusalCode = 'guest' | 'do_not_contact' | 'test_lead' | 'not_claimable';

export class RefusedError extends ForbiddenError {
  constructor(
    readonly refusal: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/** The card the actor clicked was rendered from `version`; anything else is a stale click. */
export function checkVersion(lead: Lead, version: number): void {
  if (lead.version !== version) {
    throw new ConflictError(
      `Lead ${lead.id} is at version ${lead.version}, the card showed ${version}.`,
      lead,
    );
  }
}

function checkCanWork(lead: Lead, actor: Actor): void {
  if (actor.isGuest) throw new RefusedError('guest', 'Guests cannot work on leads.');
  if (lead.isTest)
    throw new RefusedError('test_lead', 'A test lead from Partner Center has no sales actions.');
  if (lead.doNotContact) throw new RefusedError('do_not_contact', 'The customer asked not to be contacted.');
}

/** new → assigned, owned by the actor. Returns the changed lead; the store bumps the version. */
export function claimLead(lead: Lead, actor: Actor, now: Date): Lead {
  checkCanWork(lead, actor);
  if (lead.status !== 'new') {
    throw new RefusedError(
      'not_claimable',
      `Lead ${lead.id} is ${lead.status}, only new leads can be claimed.`,
    );
  }
  const owner: Person = { aadObjectId: actor.aadObjectId, name: actor.name };
  return withTransition(lead, { owner }, actor, 'claim', 'assigned', now);
}

function withTransition(
  lead: Lead,
  changes: Partial<Lead>,
  actor: Actor,
  action: string,
  to: LeadStatus,
  now: Date,
): Lead {
  const by: Person = { aadObjectId: actor.aadObjectId, name: actor.name };
  return {
    ...lead,
    ...changes,
    status: to,
    history: [...lead.history, { at: now.toISOString(), by, action, from: lead.status, to }],
  };
}
