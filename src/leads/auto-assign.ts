// Automatic assignment, as data and pure decisions: a team's settings (on or off, who is in the
// rotation, capacity, rules), who is away, and which person a new lead goes to and why. The
// store keeps the settings and takes a turn atomically (updateAutoAssign); auto-assignment.ts
// runs it for the intake; the door changes the settings for managers.
import type { AssignRule, AutoAssign, AutoHow, Away, NobodyWhy, RuleField } from './auto-assign-data.js';
import { countryCode } from './countries.js';
import type { HistoryEntry, Lead, Person, Storefront } from './lead.js';
import { priorityOf } from './priority.js';
import type { PriorityLevel } from './priority-levels.js';
import type { RosterMember } from './store.js';

export * from './auto-assign-data.js';

/** The name automatic changes carry in the history. */
export const LEAD_ASSISTANT = { aadObjectId: 'system', name: 'Lead Assistant' } as const;

export const MAX_RULES = 20;
export const MAX_LISTED = 100;
export const MAX_CAPACITY = 10_000;

export function defaultAutoAssign(teamId: string): AutoAssign {
  return { teamId, enabled: false, rules: [], turns: {} };
}

/** A member's names that `only` and rules may list them by. */
function namesOf(member: RosterMember): string[] {
  return [member.email, member.userPrincipalName].filter((n): n is string => !!n).map((n) => n.toLowerCase());
}

const listed = (member: RosterMember, list: readonly string[]) =>
  namesOf(member).some((name) => list.includes(name));

/** The rotation: the roster (guests are never on it), narrowed to `only` when set. */
export function rotationOf(settings: AutoAssign, roster: readonly RosterMember[]): RosterMember[] {
  return settings.only ? roster.filter((m) => listed(m, settings.only ?? [])) : [...roster];
}

/** The value a rule's field has on this lead (normalised as rules keep them). */
export function ruleValueOf(lead: Lead, field: RuleField): string[] {
  switch (field) {
    case 'country': {
      const code = countryCode(lead.customer.country);
      return code ? [code] : [];
    }
    case 'offer':
      return [lead.source.offerId, lead.offerTitle]
        .filter((v): v is string => !!v && v.trim() !== '')
        .map((v) => v.trim().toLowerCase());
    case 'storefront':
      return [lead.source.storefront];
    case 'priority':
      return [priorityOf(lead).level];
  }
}

/** The first rule that matches the lead, and the value it matched on. */
export function matchingRule(
  lead: Lead,
  rules: readonly AssignRule[],
): { rule: AssignRule; value: string } | undefined {
  for (const rule of rules) {
    const value = ruleValueOf(lead, rule.field).find((v) => rule.values.includes(v));
    if (value) return { rule, value };
  }
  return undefined;
}

/** What the pick needs to know about people right now. */
export interface PickContext {
  roster: readonly RosterMember[];
  /** aadObjectId → back at (only those still away at `now`). */
  away: ReadonlyMap<string, string>;
  /** aadObjectId → open leads they hold now (only read when a capacity is set). */
  openLeads: ReadonlyMap<string, number>;
  now: Date;
}

export type OwnerPick =
  | { person: RosterMember; how: AutoHow }
  | { why: NobodyWhy; rule?: { field: RuleField; value: string } };

/**
 * Who gets this lead: the people of the first matching rule (else the rotation), without anyone
 * away or full, and of those the one assigned least recently (never assigned first; the roster's
 * order breaks ties). Pure: the store runs it again on the latest turns when two instances race.
 */
export function pickOwner(lead: Lead, settings: AutoAssign, context: PickContext): OwnerPick {
  const match = matchingRule(lead, settings.rules);
  const people = match
    ? context.roster.filter((m) => listed(m, match.rule.to))
    : rotationOf(settings, context.roster);
  const rule = match ? { field: match.rule.field, value: match.value } : undefined;
  const isAway = (m: RosterMember) => context.away.has(m.aadObjectId);
  const isFull = (m: RosterMember) =>
    settings.capacity !== undefined && (context.openLeads.get(m.aadObjectId) ?? 0) >= settings.capacity;
  const eligible = people.filter((m) => !isAway(m) && !isFull(m));
  if (eligible.length === 0) {
    const why: NobodyWhy =
      people.length === 0
        ? 'no_members'
        : people.every(isAway)
          ? 'all_away'
          : people.every(isFull)
            ? 'all_full'
            : 'all_away_or_full';
    return rule ? { why, rule } : { why };
  }
  const last = (m: RosterMember) => settings.turns[m.aadObjectId] ?? '';
  const person = eligible.reduce((best, m) => (last(m) < last(best) ? m : best));
  return { person, how: rule ? { by: 'rule', ...rule } : { by: 'rotation' } };
}

/**
 * The turns after `person` was given a lead at `at`. Turns are ordered as they were taken, not by
 * the callers' clocks: a turn is always later than every turn before it (two requests that read
 * the time in one order and take turns in the other, or instances whose clocks differ, keep the
 * rotation even).
 */
export function takeTurn(settings: AutoAssign, person: Person, at: string): AutoAssign {
  let latest = '';
  for (const id in settings.turns) {
    const turn = settings.turns[id] ?? '';
    if (turn > latest) latest = turn;
  }
  const when = at > latest ? at : new Date(Date.parse(latest) + 1).toISOString();
  return { ...settings, turns: { ...settings.turns, [person.aadObjectId]: when } };
}

/** The lead given to `person` by Lead Assistant: owner, status, and the history saying how. */
export function assignAutomatically(lead: Lead, person: Person, how: AutoHow, at: string): Lead {
  const entry: HistoryEntry = {
    at,
    by: LEAD_ASSISTANT,
    action: 'assign',
    from: lead.status,
    to: 'assigned',
    note: person.name,
    auto: how,
  };
  const owner = { aadObjectId: person.aadObjectId, name: person.name };
  const assigned: Lead = {
    ...lead,
    owner,
    status: 'assigned',
    history: [...lead.history, entry],
    // Saved with the lead, so the outbox tells them even after a crash (as after a click's assignment).
    ownerNotice: { to: owner, by: LEAD_ASSISTANT.name, forVersion: lead.version, state: 'owed' },
  };
  // Deleted from the copy rather than left out by a rest pattern: this runs for every lead received.
  if ('autoAssignMiss' in assigned) delete assigned.autoAssignMiss;
  return assigned;
}

/** The automatic assignment behind the lead's owner, if the latest assignment was one. */
export function automaticAssignment(lead: Lead): HistoryEntry | undefined {
  const taken = [...lead.history].reverse().find((e) => e.action === 'assign' || e.action === 'claim');
  return taken?.auto && lead.owner ? taken : undefined;
}

/** Leads that may be given automatically: real, contactable, new and nobody's. */
export function assignable(lead: Lead): boolean {
  return !lead.isTest && !lead.doNotContact && lead.status === 'new' && !lead.owner;
}

/** Open leads per owner (object id), added to `counts` (leads being given out, say): capacity's measure. */
export function openLeadsPerOwner(
  open: readonly Lead[],
  counts = new Map<string, number>(),
): Map<string, number> {
  for (const lead of open) {
    const id = lead.owner?.aadObjectId;
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The people away at `now`, by object id. */
export function awayAt(entries: readonly Away[], now: Date): Map<string, string> {
  if (entries.length === 0) return new Map();
  const at = now.toISOString();
  return new Map(entries.filter((a) => a.until > at).map((a) => [a.aadObjectId, a.until]));
}

// Words a manager may type for rule values, beside the values themselves.
const STOREFRONT_WORDS: Record<string, Storefront> = {
  appsource: 'AppSource',
  'azure marketplace': 'AzureMarketplace',
  azuremarketplace: 'AzureMarketplace',
  marketplace: 'AzureMarketplace',
  'azure portal': 'AzurePortal',
  azureportal: 'AzurePortal',
  portal: 'AzurePortal',
  'test drive': 'TestDrive',
  testdrive: 'TestDrive',
};

const PRIORITY_WORDS: Record<string, PriorityLevel> = {
  high: 'high',
  alta: 'high',
  medium: 'medium',
  média: 'medium',
  media: 'medium',
  low: 'low',
  baixa: 'low',
};

/** A rule value as typed → its normalised form, or undefined when it means nothing for that field. */
export function ruleValue(field: RuleField, text: string): string | undefined {
  const word = text.trim().replace(/\s+/g, ' ').toLowerCase();
  if (word === '' || word.length > 120) return undefined;
  switch (field) {
    case 'country':
      return countryCode(word);
    case 'storefront':
      return STOREFRONT_WORDS[word];
    case 'priority':
      return PRIORITY_WORDS[word];
    case 'offer':
      return word;
  }
}

/** `ana@contoso.com` and UPNs: what `only` and rules list people by. */
export function looksLikeAddress(text: string): boolean {
  return /^[^\s@,;<>]{1,64}@[^\s@,;<>]{1,190}\.[^\s@,;<>]{1,63}$/.test(text);
}
