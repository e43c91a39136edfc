// Who may do what: the one place each access rule is decided. Every rule answers with a reason
// (a refusal code) or nothing; callers decide whether a refusal throws, hides a button or becomes
// a sentence in the user's language.
import type { Lead, Person } from './lead.js';
import type { Verb } from './lifecycle.js';
import { CLAIMABLE } from './statuses.js';

/** Who is acting, as the domain needs to know it. */
export interface Actor extends Person {
  isGuest: boolean;
  isManager: boolean;
}

/** Why something was refused; the bot turns each into a sentence in the user's language. */
export type RefusalCode =
  | 'guest'
  | 'do_not_contact'
  | 'test_lead'
  | 'not_claimable'
  | 'not_owner'
  | 'not_manager'
  | 'wrong_status';

/** The names a person may be listed by in MANAGERS. */
export interface Identity {
  aadObjectId?: string | undefined;
  userPrincipalName?: string | undefined;
  email?: string | undefined;
}

/**
 * MANAGERS lists people by Entra object id, UPN or e-mail, in any case (`managers` comes
 * lower-cased from the config). Any one of a person's names that is listed makes a manager; a
 * person may come as several records (the roster's and the activity's) of the same identity.
 */
export function isListedManager(who: Identity | readonly Identity[], managers: readonly string[]): boolean {
  const records: readonly Identity[] = Array.isArray(who) ? who : [who as Identity];
  return records.some((record) =>
    [record.aadObjectId, record.userPrincipalName, record.email].some(
      (name) => typeof name === 'string' && name !== '' && managers.includes(name.toLowerCase()),
    ),
  );
}

/** The members of a roster MANAGERS lists: who hears of escalations and refused cards. */
export function managersAmong<M extends Identity>(members: readonly M[], managers: readonly string[]): M[] {
  return members.filter((member) => isListedManager(member, managers));
}

/** A lead somebody owns is changed only by its owner or a manager; an unowned lead by anyone. Guests never. */
export function ownerOrManagerRefusal(lead: Lead, actor: Actor): 'guest' | 'not_owner' | undefined {
  if (actor.isGuest) return 'guest';
  const ownedByOther = lead.owner !== undefined && lead.owner.aadObjectId !== actor.aadObjectId;
  return ownedByOther && !actor.isManager ? 'not_owner' : undefined;
}

/** May the actor use `verb` on this lead, whatever its status? Notes are open to every member. */
export function actRefusal(lead: Lead, actor: Actor, verb: Verb): RefusalCode | undefined {
  if (actor.isGuest) return 'guest';
  if (lead.isTest) return 'test_lead';
  if (lead.doNotContact && verb !== 'note') return 'do_not_contact';
  if (verb === 'note') return undefined;
  // Campaigns are the managers' bookkeeping (reports count by them), not the owner's.
  if (verb === 'campaign') return actor.isManager ? undefined : 'not_manager';
  return ownerOrManagerRefusal(lead, actor);
}

/**
 * Nobody has it yet and sales may take it: the Claim button (on a card or in a list), the
 * `unassigned` list and the unclaimed-lead reminders all mean this.
 */
export function claimRefusal(lead: Lead): RefusalCode | undefined {
  if (lead.isTest) return 'test_lead';
  if (lead.doNotContact) return 'do_not_contact';
  if (!CLAIMABLE.includes(lead.status) || lead.owner) return 'not_claimable';
  return undefined;
}

export function isClaimable(lead: Lead): boolean {
  return claimRefusal(lead) === undefined;
}

/**
 * Who may use a text command. `managers`: routing, summaries and digests, which a team without
 * MANAGERS still needs, so then any member but a guest; `listed managers`: erasing personal data,
 * only ever someone MANAGERS names.
 */
export type CommandAccess = 'anyone' | 'managers' | 'listed managers';

export function commandRefusal(
  access: CommandAccess,
  actor: Actor,
  managers: readonly string[],
): 'managers_only' | undefined {
  if (access === 'anyone' || actor.isManager) return undefined;
  if (access === 'managers' && managers.length === 0 && !actor.isGuest) return undefined;
  return 'managers_only';
}

/**
 * Contact details (e-mail, phone): with visibility `owner`, only the lead's owner and managers see
 * them; a card without a viewer (the channel's, which everyone sees) hides them. With `team`,
 * everyone on the team does.
 */
export function hidesContact(lead: Lead, viewer: Actor | undefined, visibility: 'team' | 'owner'): boolean {
  if (visibility !== 'owner') return false;
  if (!viewer) return true;
  return !(viewer.isManager || lead.owner?.aadObjectId === viewer.aadObjectId);
}
