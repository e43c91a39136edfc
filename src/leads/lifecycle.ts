import { ConflictError, ForbiddenError } from '../errors.js';
import { type Actor, actRefusal, claimRefusal, type RefusalCode } from './access.js';
import { tagCampaign } from './campaigns.js';
import { CRM_LINKED, type CrmLink, withCrmLink } from './crm.js';
import type { Lead, LeadStatus, Opportunity, Person } from './lead.js';
import { CLAIMABLE, CLOSED, OPEN } from './statuses.js';

export type { Actor, RefusalCode } from './access.js';

export { CLAIMABLE, CLOSED, isClosed, isOpen, OPEN } from './statuses.js';

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
  | { verb: 'reopen' }
  | { verb: 'crm'; crm: CrmLink }
  | { verb: 'campaign'; campaign: string };
export type Verb = LeadAction['verb'];

/** The history's name for a verb's change, where it is not the verb itself. */
export const HISTORY_ACTION: Partial<Record<Verb, string>> = {
  crm: CRM_LINKED,
  campaign: 'campaign-tagged',
};

export class RefusedError extends ForbiddenError {
  constructor(
    readonly refusal: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

const ANY: readonly LeadStatus[] = [...OPEN, ...CLOSED];

/** From which statuses each verb may be used (claim: see claimRefusal). */
const allowedFrom: Record<Verb, readonly LeadStatus[]> = {
  claim: CLAIMABLE,
  assign: OPEN,
  qualify: ['new', 'assigned'],
  disqualify: OPEN,
  opportunity: ['qualified'],
  won: ['opportunity'],
  lost: ['opportunity'],
  note: ANY,
  reopen: ['disqualified', 'lost', 'won'],
  crm: ANY,
  campaign: ANY,
};

/** Every verb, in the order cards and the tab offer them; the card, the tab API and its forms accept exactly these. */
export const LEAD_VERBS = Object.keys(allowedFrom) as Verb[];

/** The verbs that make sense for a lead now (the card offers these; permissions are checked on click). */
export function availableVerbs(lead: Lead): Verb[] {
  if (lead.isTest) return [];
  if (lead.doNotContact) return ['note'];
  return (Object.keys(allowedFrom) as Verb[]).filter((verb) => statusRefusal(lead, verb) === undefined);
}

/** Whether the lead's status allows `verb` now. */
function statusRefusal(lead: Lead, verb: Verb): RefusalCode | undefined {
  if (verb === 'claim') return claimRefusal(lead);
  return allowedFrom[verb].includes(lead.status) ? undefined : 'wrong_status';
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

/** Throws the refusal access.ts gives (guests, test and do-not-contact leads, somebody else's lead). */
export function checkPermission(lead: Lead, actor: Actor, verb: Verb): void {
  const refusal = actRefusal(lead, actor, verb);
  if (refusal) throw new RefusedError(refusal, refusalText(refusal, lead, verb));
}

function refusalText(refusal: RefusalCode, lead: Lead, verb: Verb): string {
  switch (refusal) {
    case 'guest':
      return 'Guests cannot work on leads.';
    case 'test_lead':
      return 'A test lead from Partner Center has no sales actions.';
    case 'do_not_contact':
      return 'The customer asked not to be contacted.';
    case 'not_owner':
      return `Lead ${lead.id} belongs to ${lead.owner?.name}; only they or a manager can change it.`;
    case 'not_manager':
      return 'Only a manager can do that.';
    case 'not_claimable':
    case 'wrong_status':
      return `Lead ${lead.id} is ${lead.status}; "${verb}" is not possible now.`;
  }
}

/** Applies one action: checks status and permission, returns the changed lead (the store bumps the version). */
export function applyAction(lead: Lead, action: LeadAction, actor: Actor, now: Date): Lead {
  checkPermission(lead, actor, action.verb);
  const refusal = statusRefusal(lead, action.verb);
  if (refusal) throw new RefusedError(refusal, refusalText(refusal, lead, action.verb));
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
        action: HISTORY_ACTION[action.verb] ?? action.verb,
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
    case 'crm':
      return withCrmLink(lead, action.crm, me, now);
    case 'campaign':
      return record(lead.status, { campaign: tagCampaign(lead.campaign, action.campaign) }, action.campaign);
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
