// A summary rollup cell as data: what the stores keep and the door reads. Apart from rollups.ts
// (what a lead adds to one) so the store contract, and the tab that reads it, carry no reports code.

export interface Funnel {
  assigned: number;
  qualified: number;
  opportunity: number;
  won: number;
  lost: number;
  disqualified: number;
}

/** Bumped when what a cell holds changes: stored cells of another schema are rebuilt from the leads. */
export const ROLLUP_SCHEMA = 1;

export type RollupKind = 'lead' | 'test' | 'dnc';

export interface RollupKey {
  /** `YYYY-MM-DD`, the day the lead was received in the rollups' time zone. */
  day: string;
  /** The lead's teams (its deliveries'), sorted, space-separated; '' before any channel. */
  teams: string;
  kind: RollupKind;
  /** The offer title as received ('' when none). */
  offer: string;
  campaignName?: string;
  campaignId?: string;
}

export interface OwnerCell {
  name: string;
  leads: number;
  open: number;
  qualified: number;
  won: number;
  /** Open opportunities' values per currency, each kept (sums of floats are not undone exactly). */
  pipeline: Record<string, number[]>;
}

export interface RollupCell extends RollupKey {
  received: number;
  /** The latest arrival counted here: a bound (a lead leaving does not lower it), never below. */
  latest: string;
  funnel: Funnel;
  byStorefront: Record<string, number>;
  byAction: Record<string, number>;
  byPriority: Record<string, number>;
  /** Minutes from arrival to first touch, one value per touched lead. */
  touches: number[];
  /** By owner's aadObjectId. */
  owners: Record<string, OwnerCell>;
  /** The leads still new (unclaimed, unassigned): a summary names the oldest. */
  untouched: UntouchedLead[];
}

export interface UntouchedLead {
  id: string;
  receivedAt: string;
  /** As the summary shows them: the customer's name, else the company (erasure changes it). */
  who: string;
}
