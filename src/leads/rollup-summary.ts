// A summary (and the tab's charts) from rollup cells: the same figures reports.ts and
// report-series.ts compute from the leads, added up from the cells of the period's whole days,
// and the leads of its partial days (read, then rolled up the same way).
import type { Campaign, Lead, Storefront } from './lead.js';
import { type Period, zonedMidnight } from './period.js';
import {
  bucketTouches,
  emptyWeeks,
  funnelSeries,
  localDay,
  mondayOf,
  type ReportSeries,
  shiftDay,
  weekList,
} from './report-series.js';
import {
  byCampaign,
  type CampaignFigures,
  type Funnel,
  inCampaign,
  type OwnerFigures,
  type Summary,
} from './reports.js';
import { dayInZone, safeDay } from './rollup-book.js';
import {
  addInto,
  cellCampaign,
  cellId,
  emptyCell,
  type RollupCell,
  rollupOf,
  type UntouchedLead,
} from './rollups.js';

/** What the door hands a summary: only what the viewer may see, in the period's days. */
export interface ScopedRollup {
  /** Cells of the period's whole days. */
  cells: RollupCell[];
  /** Leads of its partial days (the first, if it starts after midnight; the last, if it ends before its end). */
  edges: Lead[];
}

/** The days a period covers; `edges` says which of its ends are read from the leads instead. */
export interface RollupSpan {
  fromDay: string;
  toDay: string;
  /** Given the cells of the last day: the partial days (their cells left out) and their [from, to) to read. */
  edges(lastDayCells: readonly RollupCell[]): { days: string[]; ranges: Array<{ from: Date; to: Date }> };
}

export function rollupSpan(period: Pick<Period, 'from' | 'to'>, timeZone: string): RollupSpan {
  const dayOf = localDay(timeZone);
  const fromDay = dayOf(period.from.toISOString());
  const toDay = dayOf(new Date(Math.max(period.from.getTime(), period.to.getTime() - 1)).toISOString());
  const start = (day: string) => zonedMidnight(day, timeZone) ?? period.from;
  return {
    fromDay,
    toDay,
    edges(lastDayCells) {
      const firstWhole = start(fromDay).getTime() >= period.from.getTime();
      // The last day is whole when it ends by `to`, or when nothing in it arrived at `to` or later.
      const toText = period.to.toISOString();
      const lastWhole =
        start(shiftDay(toDay, 1)).getTime() <= period.to.getTime() ||
        lastDayCells.every((c) => c.latest < toText);
      if (fromDay === toDay)
        return firstWhole && lastWhole
          ? { days: [], ranges: [] }
          : { days: [fromDay], ranges: [{ from: period.from, to: period.to }] };
      const days: string[] = [];
      const ranges: Array<{ from: Date; to: Date }> = [];
      if (!firstWhole) {
        days.push(fromDay);
        ranges.push({ from: period.from, to: start(shiftDay(fromDay, 1)) });
      }
      if (!lastWhole) {
        days.push(toDay);
        ranges.push({ from: start(toDay), to: period.to });
      }
      return { days, ranges };
    },
  };
}

/** The cells to count: the whole days', the partial days' leads rolled up; offer and campaign applied. */
function countedCells(
  scoped: ScopedRollup,
  timeZone: string,
  offer?: string,
  campaign?: string,
): RollupCell[] {
  const edges = rollupOf(scoped.edges, safeDay(dayInZone(timeZone))).values();
  const cells = new Map<string, RollupCell>();
  for (const cell of [...scoped.cells, ...edges]) {
    if (offer && !cell.offer.toLowerCase().includes(offer.toLowerCase())) continue;
    if (campaign && !inCampaign({ campaign: campaignOf(cell) }, campaign)) continue;
    // Cells may be the store's own (read, never changed here): a key met twice is added up in a copy.
    const id = cellId(cell);
    const known = cells.get(id);
    cells.set(id, known ? addInto(addInto(emptyCell(known), known, 1), cell, 1) : cell);
  }
  return [...cells.values()];
}

function campaignOf(cell: RollupCell): Campaign {
  return {
    params: {},
    ...(cell.campaignName !== undefined ? { name: cell.campaignName } : {}),
    ...(cell.campaignId !== undefined ? { id: cell.campaignId } : {}),
  };
}

/** `summarize` (reports.ts) from rollups: the same figures on the same leads. */
export function summarizeRollup(
  scoped: ScopedRollup,
  period: Period,
  timeZone: string,
  offer?: string,
  campaign?: string,
): Summary {
  return summaryOf(countedCells(scoped, timeZone, offer, campaign), period);
}

/** `summarizeWithSeries` (report-series.ts) from rollups. */
export function summarizeRollupWithSeries(
  scoped: ScopedRollup,
  period: Period,
  timeZone: string,
  offer?: string,
): { summary: Summary; series: ReportSeries } {
  const cells = countedCells(scoped, timeZone, offer);
  const summary = summaryOf(cells, period);
  const weeks = emptyWeeks(period, timeZone);
  for (const cell of cells) {
    if (cell.kind !== 'lead') continue;
    const week = mondayOf(cell.day);
    const counts = weeks.get(week) ?? {};
    for (const [storefront, n] of Object.entries(cell.byStorefront) as Array<[Storefront, number]>)
      counts[storefront] = (counts[storefront] ?? 0) + n;
    weeks.set(week, counts);
  }
  return {
    summary,
    series: {
      funnel: funnelSeries(summary),
      perWeek: weekList(weeks),
      firstTouch: bucketTouches(allTouches(cells)),
    },
  };
}

/** The first day anything in scope arrived (the tab's "All time" starts there), if any. */
export function firstArrival(scoped: ScopedRollup, timeZone: string): string | undefined {
  const days = [
    ...scoped.cells.map((c) => zonedMidnight(c.day, timeZone)?.toISOString()),
    ...scoped.edges.map((l) => l.receivedAt),
  ].filter((d): d is string => d !== undefined);
  return days.sort()[0];
}

function summaryOf(all: RollupCell[], period: Period): Summary {
  const cells = all.filter((c) => c.kind === 'lead');
  const received = sum(cells, (c) => c.received);
  const funnel = funnelOf(cells);
  const rate = (n: number) => (received === 0 ? 0 : n / received);
  const touches = allTouches(cells);
  return {
    period,
    received,
    funnel,
    rates: {
      assigned: rate(funnel.assigned),
      qualified: rate(funnel.qualified),
      opportunity: rate(funnel.opportunity),
      won: rate(funnel.won),
    },
    firstTouch:
      touches.length === 0
        ? { touched: 0 }
        : {
            median: nearestRank(touches, 0.5),
            p90: nearestRank(touches, 0.9),
            touched: touches.length,
          },
    byStorefront: addUp(cells, (c) => c.byStorefront),
    byAction: addUp(cells, (c) => c.byAction),
    byPriority: addUp(cells, (c) => c.byPriority),
    topOffers: Object.entries(addUp(cells, (c) => ({ [c.offer || '—']: c.received })))
      .map(([name, count]) => ({ offer: name, count: count ?? 0 }))
      .sort((a, b) => b.count - a.count || a.offer.localeCompare(b.offer))
      .slice(0, 5),
    byCampaign: campaignFigures(cells),
    owners: ownerFigures(cells),
    oldestUntouched: oldestUntouched(cells),
    testLeads: sum(all, (c) => (c.kind === 'test' ? c.received : 0)),
    doNotContact: sum(all, (c) => (c.kind === 'dnc' ? c.received : 0)),
  };
}

/** Every time to first touch, in no order. */
function allTouches(cells: RollupCell[]): Float64Array {
  const all = new Float64Array(sum(cells, (c) => (c.kind === 'lead' ? c.touches.length : 0)));
  let at = 0;
  for (const cell of cells) {
    if (cell.kind !== 'lead') continue;
    all.set(cell.touches, at);
    at += cell.touches.length;
  }
  return all;
}

/** `percentile` (nearest rank) without sorting: the k-th smallest, found in place (Hoare's select). */
function nearestRank(values: Float64Array, p: number): number {
  const k = Math.max(1, Math.ceil(p * values.length)) - 1;
  let [lo, hi] = [0, values.length - 1];
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1] as number;
    let [i, j] = [lo, hi];
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        [values[i], values[j]] = [values[j] as number, values[i] as number];
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k] ?? 0;
}

function funnelOf(cells: RollupCell[]): Funnel {
  const funnel: Funnel = { assigned: 0, qualified: 0, opportunity: 0, won: 0, lost: 0, disqualified: 0 };
  for (const cell of cells)
    for (const stage of Object.keys(funnel) as Array<keyof Funnel>) funnel[stage] += cell.funnel[stage];
  return funnel;
}

function campaignFigures(cells: RollupCell[]): CampaignFigures[] {
  const groups = new Map<string | undefined, RollupCell[]>();
  for (const cell of cells) {
    const key = cellCampaign(cell);
    const group = groups.get(key);
    if (group) group.push(cell);
    else groups.set(key, [cell]); // pushed, not copied, as the summary from leads groups them
  }
  return [...groups.entries()]
    .map(([name, members]) => ({
      ...(name === undefined ? {} : { campaign: name }),
      received: sum(members, (c) => c.received),
      funnel: funnelOf(members),
    }))
    .sort(byCampaign);
}

function ownerFigures(cells: RollupCell[]): OwnerFigures[] {
  const byOwner = new Map<string, OwnerFigures>();
  for (const cell of cells)
    for (const [id, owner] of Object.entries(cell.owners)) {
      const figures = byOwner.get(id) ?? { name: owner.name, open: 0, qualified: 0, won: 0, pipeline: {} };
      figures.open += owner.open;
      figures.qualified += owner.qualified;
      figures.won += owner.won;
      for (const [currency, values] of Object.entries(owner.pipeline))
        for (const value of values) figures.pipeline[currency] = (figures.pipeline[currency] ?? 0) + value;
      byOwner.set(id, figures);
    }
  return [...byOwner.values()].sort(
    (a, b) => b.open + b.won - (a.open + a.won) || a.name.localeCompare(b.name),
  );
}

/**
 * The five oldest leads still new, as reports.ts picks them (a stable sort by arrival): without
 * sorting them all. Leads that arrived in the same millisecond go by id (the leads' order is gone).
 */
function oldestUntouched(cells: RollupCell[]): Summary['oldestUntouched'] {
  const oldest: UntouchedLead[] = [];
  for (const cell of cells)
    for (const lead of cell.untouched) {
      const last = oldest[oldest.length - 1];
      if (oldest.length === 5 && last && compareArrival(lead, last) >= 0) continue;
      let at = oldest.length;
      while (at > 0 && compareArrival(lead, oldest[at - 1] as UntouchedLead) < 0) at--;
      oldest.splice(at, 0, lead);
      if (oldest.length > 5) oldest.pop();
    }
  return oldest.map(({ id, who, receivedAt }) => ({ id, who, receivedAt }));
}

/** `localeCompare` of arrival times, as reports.ts sorts them; plain for canonical UTC times (same order). */
function compareArrival(a: UntouchedLead, b: UntouchedLead): number {
  const [x, y] = [a.receivedAt, b.receivedAt];
  const order =
    x.length === 24 && y.length === 24 && x.endsWith('Z') && y.endsWith('Z')
      ? x < y
        ? -1
        : x > y
          ? 1
          : 0
      : x.localeCompare(y);
  return order !== 0 ? order : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function addUp<K extends string>(
  cells: RollupCell[],
  counts: (cell: RollupCell) => Record<string, number>,
): Partial<Record<K, number>> {
  const total: Partial<Record<K, number>> = {};
  for (const cell of cells)
    for (const [key, n] of Object.entries(counts(cell))) total[key as K] = (total[key as K] ?? 0) + n;
  return total;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
