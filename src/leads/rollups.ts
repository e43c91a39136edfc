// Rollups: what each lead adds to a summary, kept per day as leads change, so a summary adds up a
// few hundred cells instead of walking every lead of its period. Pure: the stores keep the cells
// (memory, lowdb, Azure rows) and call `rollupDelta` where a lead is created, saved or patched.
//
// A cell is one combination of what a summary filters or scopes by: the day received (in the
// summary's time zone), the teams the lead went to (scope: the door decides from these), whether
// it is a test or do-not-contact lead (counted apart), its offer title (`offer` filters by
// substring) and its campaign (name and id: `campaign` matches either). Everything else a summary
// shows is summed inside the cell; times to first touch are kept as the values themselves, so
// the median and p90 come out exactly as from the leads.
import { campaignKey } from './campaigns.js';
import { customerName, type Lead } from './lead.js';
import { isOpen } from './lifecycle.js';
import { computePriority } from './priority.js';
import { firstTouchMinutes, REACHED } from './reports.js';
import type { Funnel, RollupCell, RollupKey, RollupKind } from './rollup-cell.js';

export * from './rollup-cell.js';

/**
 * What a cell holds and how a lead adds to it, as of this code: cells kept on disk (a closed
 * month's index file) by another are rolled up again. Raise it when either changes.
 */
export const ROLLUP_FORMAT = 1;

const STAGES = Object.keys(REACHED) as Array<keyof Funnel>;

export function kindOf(lead: Pick<Lead, 'isTest' | 'doNotContact'>): RollupKind {
  return lead.isTest ? 'test' : lead.doNotContact ? 'dnc' : 'lead';
}

/** The teams a lead belongs to, as a cell names them. */
export function teamsOf(lead: Pick<Lead, 'deliveries'>): string {
  return [...new Set(lead.deliveries.map((d) => d.teamId))].sort().join(' ');
}

export function keyOf(lead: Lead, dayOf: (iso: string) => string): RollupKey {
  return {
    day: dayOf(lead.receivedAt),
    teams: teamsOf(lead),
    kind: kindOf(lead),
    offer: lead.offerTitle ?? '',
    ...(lead.campaign?.name !== undefined ? { campaignName: lead.campaign.name } : {}),
    ...(lead.campaign?.id !== undefined ? { campaignId: lead.campaign.id } : {}),
  };
}

/** One string per cell (its row key, its map key). */
export function cellId(key: RollupKey): string {
  return JSON.stringify([key.day, key.teams, key.kind, key.offer, key.campaignName, key.campaignId]);
}

export function emptyCell(key: RollupKey): RollupCell {
  return {
    ...key,
    received: 0,
    latest: '',
    funnel: { assigned: 0, qualified: 0, opportunity: 0, won: 0, lost: 0, disqualified: 0 },
    byStorefront: {},
    byAction: {},
    byPriority: {},
    touches: [],
    owners: {},
    untouched: [],
  };
}

/** What one lead adds to its cell (test and do-not-contact leads: only that they arrived). */
export function contributionOf(lead: Lead, dayOf: (iso: string) => string): RollupCell {
  const cell = emptyCell(keyOf(lead, dayOf));
  cell.received = 1;
  cell.latest = lead.receivedAt;
  if (cell.kind !== 'lead') return cell;
  for (const stage of STAGES)
    if (lead.history.some((h) => h.to !== undefined && REACHED[stage].includes(h.to))) cell.funnel[stage] = 1;
  cell.byStorefront[lead.source.storefront] = 1;
  cell.byAction[lead.source.action] = 1;
  // Not priorityOf: its cache would hold a Priority per lead for as long as the lead is kept.
  cell.byPriority[(lead.priority ?? computePriority(lead)).level] = 1;
  const touch = firstTouchMinutes(lead);
  if (touch !== undefined) cell.touches.push(touch);
  if (lead.status === 'new')
    cell.untouched.push({
      id: lead.id,
      receivedAt: lead.receivedAt,
      who: customerName(lead.customer) || lead.customer.company,
    });
  if (lead.owner) {
    const opportunity = lead.status === 'opportunity' ? lead.opportunity : undefined;
    cell.owners[lead.owner.aadObjectId] = {
      name: lead.owner.name,
      leads: 1,
      open: isOpen(lead) ? 1 : 0,
      qualified: REACHED.qualified.includes(lead.status) ? 1 : 0,
      won: lead.status === 'won' ? 1 : 0,
      pipeline: opportunity ? { [opportunity.currency]: [opportunity.value] } : {},
    };
  }
  return cell;
}

/**
 * The cells a change moves: the old version's contribution taken out, the new one's put in
 * (`before` undefined: a new lead). Empty when nothing a summary counts changed.
 */
export function rollupDelta(
  before: Lead | undefined,
  after: Lead | undefined,
  dayOf: (iso: string) => string,
): Array<{ sign: 1 | -1; part: RollupCell }> {
  const out = before ? contributionOf(before, dayOf) : undefined;
  const into = after ? contributionOf(after, dayOf) : undefined;
  if (out && into && JSON.stringify(out) === JSON.stringify(into)) return [];
  return [
    ...(out ? [{ sign: -1 as const, part: out }] : []),
    ...(into ? [{ sign: 1 as const, part: into }] : []),
  ];
}

/** Adds (`sign` 1) or takes out (-1) `part` into `cell`, in place; both of one key. */
export function addInto(cell: RollupCell, part: RollupCell, sign: 1 | -1): RollupCell {
  cell.received += sign * part.received;
  if (sign > 0 && part.latest > cell.latest) cell.latest = part.latest;
  for (const stage of STAGES) cell.funnel[stage] += sign * part.funnel[stage];
  addCounts(cell.byStorefront, part.byStorefront, sign);
  addCounts(cell.byAction, part.byAction, sign);
  addCounts(cell.byPriority, part.byPriority, sign);
  moveValues(cell.touches, part.touches, sign);
  for (const lead of part.untouched) {
    if (sign > 0) cell.untouched.push(lead);
    else {
      const at = cell.untouched.findIndex((u) => u.id === lead.id);
      if (at >= 0) cell.untouched.splice(at, 1);
    }
  }
  for (const [id, owner] of Object.entries(part.owners)) {
    const into = cell.owners[id] ?? {
      name: owner.name,
      leads: 0,
      open: 0,
      qualified: 0,
      won: 0,
      pipeline: {},
    };
    if (sign > 0) into.name = owner.name;
    into.leads += sign * owner.leads;
    into.open += sign * owner.open;
    into.qualified += sign * owner.qualified;
    into.won += sign * owner.won;
    for (const [currency, values] of Object.entries(owner.pipeline)) {
      const kept = into.pipeline[currency] ?? [];
      moveValues(kept, values, sign);
      if (kept.length > 0) into.pipeline[currency] = kept;
      else delete into.pipeline[currency];
    }
    if (into.leads > 0) cell.owners[id] = into;
    else delete cell.owners[id];
  }
  return cell;
}

/** Whether a cell counts nothing any more (its row can go). */
export function isEmptyCell(cell: RollupCell): boolean {
  return cell.received <= 0;
}

function addCounts(into: Record<string, number>, part: Record<string, number>, sign: 1 | -1): void {
  for (const [key, n] of Object.entries(part)) {
    const next = (into[key] ?? 0) + sign * n;
    if (next === 0) delete into[key];
    else into[key] = next;
  }
}

function moveValues(into: number[], values: readonly number[], sign: 1 | -1): void {
  for (const value of values) {
    if (sign > 0) into.push(value);
    else {
      const at = into.indexOf(value);
      if (at >= 0) into.splice(at, 1);
    }
  }
}

/** Cells from plain leads: the rebuild (at start, at a schema change) and the leads at a period's edges. */
export function rollupOf(leads: Iterable<Lead>, dayOf: (iso: string) => string): Map<string, RollupCell> {
  const cells = new Map<string, RollupCell>();
  for (const lead of leads) {
    const part = contributionOf(lead, dayOf);
    const id = cellId(part);
    const cell = cells.get(id);
    if (cell) addInto(cell, part, 1);
    else cells.set(id, part);
  }
  return cells;
}

/** `campaignKey` of the leads of a cell. */
export function cellCampaign(cell: RollupKey): string | undefined {
  return campaignKey({
    campaign:
      cell.campaignName === undefined && cell.campaignId === undefined
        ? undefined
        : {
            params: {},
            ...(cell.campaignName !== undefined ? { name: cell.campaignName } : {}),
            ...(cell.campaignId !== undefined ? { id: cell.campaignId } : {}),
          },
  });
}
