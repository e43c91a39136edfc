import { ConflictError, ForbiddenError } from '../errors.js';
import type { Lead, LeadStatus, Opportunity, Person } from './lead.js';

/** Who is acting, as the domain needs to know it. */
export interface Actor extends Person {
  isGuest: boolean;
  isManager: boolean;
}

export const DISQUALIFY_REASONS = [
  'not_a_fit',
  'no_budget',
  'competitor',
  'spam',
  'duplicate',
  'student',
  'other',
] as const;
export type DisqualifyReason = (typeof DISQUALIFY_REASONS)[number];

/** Everything a person can do to a lead. Inputs are already validated at the edge. */
export type LeadAction =
  | { verb: 'claim' }
  | { verb: 'assign'; assignee: Person }
  | { verb: 'qualify' }
  | { verb: 'disqualify'; reason: DisqualifyReason; note?: string }
  | { verb: 'opportunity'; opportunity: Opportunity }
  | { verb: 'won' }
  | { verb: 'lost'; note?: string }
  | { verb: 'note'; note: string }
  | { verb: 'reopen' };
export type Verb = LeadAction['verb'];

/** Refusal codes; the bot turns each into a sentence in the user's language. */
export type RefusalCode =
  | 'guest'
  | 'do_not_contact'
  | 'test_lead'
  | 'not_claimable'
  | 'not_owner'
  | 'wrong_status';

export class RefusedError extends ForbiddenError {
  constructor(
    readonly refusal: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

const OPEN: LeadStatus[] = ['new', 'assigned', 'qualified', 'opportunity'];
const ANY: LeadStatus[] = [...OPEN, 'won', 'lost', 'disqualified'];

/** From which statuses each verb may be used. */
const allowedFrom: Record<Verb, LeadStatus[]> = {
  claim: ['new'],
  assign: OPEN,
  qualify: ['new', 'assigned'],
  disqualify: OPEN,
  opportunity: ['qualified'],
  won: ['opportunity'],
  lost: ['opportunity'],
  note: ANY,
  reopen: ['disqualified', 'lost'],
};

/** The verbs that make sense for a lead now (the card offers these; permissions are checked on click). */
export function availableVerbs(lead: Lead): Verb[] {
  if (lead.isTest) return [];
  if (lead.doNotContact) return ['note'];
  return (Object.keys(allowedFrom) as Verb[]).filter((verb) => allowedFrom[verb].includes(lead.status));
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

/** Guests never act; a lead somebody owns is changed only by its owner or a manager; notes are open to all. */
export function checkPermission(lead: Lead, actor: Actor, verb: Verb): void {
  if (actor.isGuest) throw new RefusedError('guest', 'Guests cannot work on leads.');
  if (lead.isTest)
    throw new RefusedError('test_lead', 'A test lead from Partner Center has no sales actions.');
  if (lead.doNotContact && verb !== 'note') {
    throw new RefusedError('do_not_contact', 'The customer asked not to be contacted.');
  }
  if (verb === 'note') return;
  const ownedByOther = lead.owner !== undefined && lead.owner.aadObjectId !== actor.aadObjectId;
  if (ownedByOther && !actor.isManager) {
    throw new RefusedError(
      'not_owner',
      `Lead ${lead.id} belongs to ${lead.owner?.name}; only they or a manager can change it.`,
    );
  }
}

/** Applies one action: checks status and permission, returns the changed lead (the store bumps the version). */
export function applyAction(lead: Lead, action: LeadAction, actor: Actor, now: Date): Lead {
  checkPermission(lead, actor, action.verb);
  if (!allowedFrom[action.verb].includes(lead.status)) {
    const code = action.verb === 'claim' ? 'not_claimable' : 'wrong_status';
    throw new RefusedError(code, `Lead ${lead.id} is ${lead.status}; "${action.verb}" is not possible now.`);
  }
  const me: Person = { aadObjectId: actor.aadObjectId, name: actor.name };
  const record = (to: LeadStatus, changes: Partial<Lead> = {}, note?: string): Lead => ({
    ...lead,
    ...changes,
    status: to,
    history: [
      ...lead.history,
      {
        at: now.toISOString(),
        by: me,
        action: action.verb,
        from: lead.status,
        to,
        ...(note ? { note } : {}),
      },
    ],
  });
  const assigned = lead.status === 'new' ? 'assigned' : lead.status;
  switch (action.verb) {
    case 'claim':
      return record('assigned', { owner: me });
    case 'assign':
      return record(assigned, { owner: action.assignee }, action.assignee.name);
    case 'qualify':
      // Qualifying an unowned lead makes the actor its owner (DESIGN.md).
      return record('qualified', { owner: lead.owner ?? me });
    case 'disqualify':
      return record(
        'disqualified',
        { disqualifyReason: action.reason },
        [action.reason, action.note].filter(Boolean).join(': '),
      );
    case 'opportunity':
      return record('opportunity', { opportunity: action.opportunity }, action.opportunity.notes);
    case 'won':
      return record('won');
    case 'lost':
      return record('lost', {}, action.note);
    case 'note':
      return record(lead.status, {}, action.note);
    case 'reopen': {
      const { disqualifyReason: _cleared, ...reopened } = record(lead.owner ? 'assigned' : 'new');
      return reopened;
    }
  }
}

/** new → assigned, owned by the actor. */
export function claimLead(lead: Lead, actor: Actor, now: Date): Lead {
  return applyAction(lead, { verb: 'claim' }, actor, now);
}
