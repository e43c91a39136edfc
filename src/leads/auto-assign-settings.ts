// What managers change in a team's automatic assignment, checked against the team's roster, and
// the rotation as the status shows it (each person's open leads, last turn, absence, capacity).
import {
  type AssignRule,
  type AutoAssign,
  type Away,
  awayAt,
  defaultAutoAssign,
  MAX_CAPACITY,
  MAX_LISTED,
  MAX_RULES,
  type RuleField,
  rotationOf,
} from './auto-assign.js';
import type { Person } from './lead.js';
import type { RosterMember } from './store.js';

export type SettingsChange =
  | { kind: 'on' }
  | { kind: 'off' }
  | { kind: 'only'; people: string[] }
  | { kind: 'everyone' }
  | { kind: 'capacity'; capacity: number | undefined }
  | { kind: 'rule'; field: RuleField; values: string[]; to: string[] }
  | { kind: 'rules clear' };

/** Why a change was refused, with what it was about (the names not on the team, the limit). */
export type SettingsProblem =
  | { invalid: 'not_members'; names: string[] }
  | { invalid: 'too_many'; limit: number }
  | { invalid: 'capacity'; limit: number }
  | { invalid: 'nobody' };

/** The settings after `change`, or what is wrong with it (nothing changes then). */
export function changeSettings(
  current: AutoAssign | undefined,
  teamId: string,
  change: SettingsChange,
  roster: readonly RosterMember[],
  by: Person,
  at: string,
): AutoAssign | SettingsProblem {
  const settings = current ?? defaultAutoAssign(teamId);
  const stamped = (next: AutoAssign): AutoAssign => ({ ...next, changedBy: by, changedAt: at });
  const strangers = (names: readonly string[]) =>
    names.filter(
      (name) => !roster.some((m) => [m.email, m.userPrincipalName].some((n) => n?.toLowerCase() === name)),
    );
  switch (change.kind) {
    case 'on':
      return stamped({ ...settings, enabled: true });
    case 'off':
      return stamped({ ...settings, enabled: false });
    case 'everyone': {
      const { only: _all, ...rest } = settings;
      return stamped(rest);
    }
    case 'only':
    case 'rule': {
      const names = change.kind === 'only' ? change.people : change.to;
      if (names.length === 0) return { invalid: 'nobody' };
      if (names.length > MAX_LISTED) return { invalid: 'too_many', limit: MAX_LISTED };
      const unknown = strangers(names);
      if (unknown.length > 0) return { invalid: 'not_members', names: unknown };
      if (change.kind === 'only') return stamped({ ...settings, only: [...new Set(names)] });
      if (settings.rules.length >= MAX_RULES) return { invalid: 'too_many', limit: MAX_RULES };
      const rule: AssignRule = {
        field: change.field,
        values: [...new Set(change.values)],
        to: [...new Set(names)],
      };
      return stamped({ ...settings, rules: [...settings.rules, rule] });
    }
    case 'capacity': {
      if (change.capacity === undefined) {
        const { capacity: _none, ...rest } = settings;
        return stamped(rest);
      }
      if (!Number.isInteger(change.capacity) || change.capacity < 1 || change.capacity > MAX_CAPACITY)
        return { invalid: 'capacity', limit: MAX_CAPACITY };
      return stamped({ ...settings, capacity: change.capacity });
    }
    case 'rules clear':
      return stamped({ ...settings, rules: [] });
  }
}

/** One person of the team as the status shows them. */
export interface RotationRow {
  person: Person;
  /** In the rotation (every member, or those `only` lists). */
  inRotation: boolean;
  openLeads: number;
  lastAssigned?: string;
  awayUntil?: string;
  /** At or over the capacity: skipped until they close some. */
  full: boolean;
  /** The rotation's next: who gets the next lead no rule claims, when auto-assign is on. */
  next: boolean;
}

/** The team's members, those in the rotation first, each with what decides whether they get the next lead. */
export function rotationRows(
  settings: AutoAssign,
  roster: readonly RosterMember[],
  away: readonly Away[],
  openLeads: ReadonlyMap<string, number>,
  now: Date,
): RotationRow[] {
  const inRotation = new Set(rotationOf(settings, roster).map((m) => m.aadObjectId));
  const absent = awayAt(away, now);
  const rows = roster.map((m): RotationRow => {
    const open = openLeads.get(m.aadObjectId) ?? 0;
    const last = settings.turns[m.aadObjectId];
    const until = absent.get(m.aadObjectId);
    return {
      person: { aadObjectId: m.aadObjectId, name: m.name },
      inRotation: inRotation.has(m.aadObjectId),
      openLeads: open,
      ...(last ? { lastAssigned: last } : {}),
      ...(until ? { awayUntil: until } : {}),
      full: settings.capacity !== undefined && open >= settings.capacity,
      next: false,
    };
  });
  // The pick's own order: least recently assigned among those eligible, the roster's order breaking ties.
  const eligible = rows.filter((r) => r.inRotation && !r.awayUntil && !r.full);
  const next = eligible.reduce<RotationRow | undefined>(
    (best, r) => (!best || (r.lastAssigned ?? '') < (best.lastAssigned ?? '') ? r : best),
    undefined,
  );
  if (next && settings.enabled) next.next = true;
  return rows.sort(
    (a, b) => Number(b.inRotation) - Number(a.inRotation) || a.person.name.localeCompare(b.person.name),
  );
}
