// Automatic assignment as data: what the store keeps, the lead carries and the tab reads. Kept apart
// from auto-assign.ts (the decisions) so the tab's bundle does not carry the country names.
import type { Person } from './lead.js';

export const RULE_FIELDS = ['country', 'offer', 'storefront', 'priority'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/** `auto-assign rule country PT, ES to ana@contoso.com`: leads that match go to these people. */
export interface AssignRule {
  field: RuleField;
  /** Normalised: country codes, storefronts, priority levels, offers lower-cased. */
  values: string[];
  /** E-mails or UPNs, lower-cased, as the manager typed them. */
  to: string[];
}

/** One team's automatic assignment. `turns` is the rotation's memory: who was assigned when. */
export interface AutoAssign {
  teamId: string;
  enabled: boolean;
  /** E-mails or UPNs (lower-cased) in the rotation; absent: every member who is not a guest. */
  only?: string[];
  /** Skip anyone holding this many open leads or more. */
  capacity?: number;
  rules: AssignRule[];
  /** aadObjectId → when they were last given a lead (automatically or by hand). */
  turns: Record<string, string>;
  changedBy?: Person;
  changedAt?: string;
}

/** `away until <date>`: not assigned automatically before `until` (anywhere). */
export interface Away {
  aadObjectId: string;
  name: string;
  /** ISO instant: they are back from this moment. */
  until: string;
  setAt: string;
}

/** How an automatic assignment chose: the rotation, or the first rule that matched. */
export type AutoHow = { by: 'rotation' } | { by: 'rule'; field: RuleField; value: string };

/** Why nobody was given a lead automatically. */
export type NobodyWhy = 'no_members' | 'all_away' | 'all_full' | 'all_away_or_full';

/** Set on a lead that arrived while auto-assign was on and found nobody eligible. */
export interface AutoAssignMiss {
  at: string;
  why: NobodyWhy;
  /** The rule whose people were all away or full, if one matched. */
  rule?: { field: RuleField; value: string };
}
