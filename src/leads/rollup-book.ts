// The rollup cells kept in memory, by day: the embedded and in-memory stores hold one and tell it
// every change (`apply`), and a summary asks it for the cells of its days. Built from the leads
// (`rebuild`, or `inBackground` at start so that start does not wait), or again when asked in
// another time zone than the one it was built for.
import type { Lead } from './lead.js';
import { localDay } from './report-series.js';
import {
  addInto,
  cellId,
  contributionOf,
  isEmptyCell,
  ROLLUP_FORMAT,
  type RollupCell,
  rollupDelta,
  rollupOf,
} from './rollups.js';

/** Leads rolled up between two turns of the event loop while building in the background. */
const CHUNK = 2_000;

export class RollupBook {
  private readonly cells = new Map<string, RollupCell>();
  private readonly byDay = new Map<string, Set<string>>();
  private readonly dayOf: (iso: string) => string;
  /** Changes told while building in the background: applied, in order, once built. */
  private queued: Array<[Lead | undefined, Lead | undefined]> | undefined;
  /** Resolves once built (at once, unless built in the background). */
  ready: Promise<void> = Promise.resolve();

  private constructor(readonly timeZone: string) {
    this.dayOf = safeDay(dayInZone(timeZone));
  }

  /** The cells of every lead given, in the zone's days. */
  static rebuild(leads: Iterable<Lead>, timeZone: string): RollupBook {
    const book = new RollupBook(timeZone);
    for (const [id, cell] of rollupOf(leads, book.dayOf)) book.put(id, cell);
    return book;
  }

  /**
   * `rebuild` a chunk at a time, yielding between chunks, from history in order: the leads of a
   * month, or the cells kept of it (a closed month's index file). Leads are the store as it is
   * now (its lead objects are replaced, never changed, on a change); kept cells become the book's
   * own. Changes told meanwhile wait, in order.
   */
  static inBackground(history: ReadonlyArray<RollupSource> | readonly Lead[], timeZone: string): RollupBook {
    const book = new RollupBook(timeZone);
    book.queued = [];
    const sources: ReadonlyArray<RollupSource> = isLeadList(history) ? [{ leads: history }] : history;
    book.ready = (async () => {
      const cells = new Map<string, RollupCell>();
      const add = (part: RollupCell) => {
        const id = cellId(part);
        const cell = cells.get(id);
        if (cell) addInto(cell, part, 1);
        else cells.set(id, part);
      };
      for (const source of sources) {
        if ('cells' in source) for (const cell of source.cells) add(cell);
        else
          for (let start = 0; start < source.leads.length; start += CHUNK) {
            for (const lead of source.leads.slice(start, start + CHUNK))
              add(contributionOf(lead, book.dayOf));
            await new Promise((resolve) => setImmediate(resolve));
          }
      }
      for (const [id, cell] of cells) book.put(id, cell);
      const queued = book.queued ?? [];
      book.queued = undefined;
      for (const [before, after] of queued) book.apply(before, after);
    })();
    return book;
  }

  /** A lead created (`before` undefined), saved or patched; or a change taken back (swap them). */
  apply(before: Lead | undefined, after: Lead | undefined): void {
    if (this.queued) {
      this.queued.push([before, after]);
      return;
    }
    for (const { sign, part } of rollupDelta(before, after, this.dayOf)) {
      const id = cellId(part);
      const cell = this.cells.get(id);
      if (!cell) {
        if (sign > 0) this.put(id, structuredClone(part));
        continue;
      }
      addInto(cell, part, sign);
      if (isEmptyCell(cell)) this.drop(id, cell.day);
    }
  }

  /**
   * The cells of days `fromDay`..`toDay` (inclusive): copies, or (`copy` false, for a store that
   * hands out what it holds, as the embedded one does its leads) the book's own, to be read only.
   */
  between(fromDay: string, toDay: string, copy = true): RollupCell[] {
    const out: RollupCell[] = [];
    for (const [day, ids] of this.byDay) {
      if (day < fromDay || day > toDay) continue;
      for (const id of ids) {
        const cell = this.cells.get(id);
        if (cell) out.push(copy ? structuredClone(cell) : cell);
      }
    }
    return out;
  }

  private put(id: string, cell: RollupCell): void {
    this.cells.set(id, cell);
    const ids = this.byDay.get(cell.day) ?? new Set<string>();
    ids.add(id);
    this.byDay.set(cell.day, ids);
  }

  private drop(id: string, day: string): void {
    this.cells.delete(id);
    const ids = this.byDay.get(day);
    ids?.delete(id);
    if (ids?.size === 0) this.byDay.delete(day);
  }
}

/** Part of history for `inBackground`: a month's leads, or the cells kept of them. */
export type RollupSource = { leads: readonly Lead[] } | { cells: RollupCell[] };

function isLeadList(history: ReadonlyArray<RollupSource> | readonly Lead[]): history is readonly Lead[] {
  const first = history[0];
  return first !== undefined && !('leads' in first) && !('cells' in first);
}

/** The cells of a month's leads in the zone's days, as a closed month's index file keeps them. */
export function monthCells(leads: Iterable<Lead>, timeZone: string): RollupCell[] {
  return [...rollupOf(leads, safeDay(dayInZone(timeZone))).values()];
}

/**
 * Cells kept in an index file, if they were rolled up by this code (`ROLLUP_FORMAT`) in this zone;
 * otherwise nothing, and the month is rolled up from its leads again.
 */
export function keptCells(kept: unknown, timeZone: string): RollupCell[] | undefined {
  const k = kept as Partial<KeptCells> | undefined;
  const fits =
    k?.format === ROLLUP_FORMAT &&
    k.timeZone === timeZone &&
    Array.isArray(k.cells) &&
    k.cells.every((c) => typeof c?.day === 'string' && typeof c.received === 'number');
  return fits ? (k.cells as RollupCell[]) : undefined;
}

/** What a closed month's index file keeps of its rollups. */
export interface KeptCells {
  format: typeof ROLLUP_FORMAT;
  timeZone: string;
  cells: RollupCell[];
}

/**
 * The zone's day of an instant, formatted once per UTC quarter-hour: every zone's offset is a
 * whole number of quarter-hours, so a day never starts inside one (100k leads, few quarters).
 */
export function dayInZone(timeZone: string): (iso: string) => string {
  const day = localDay(timeZone);
  const cache = new Map<string, string>();
  return (iso) => {
    if (iso.length !== 24 || !iso.endsWith('Z')) return day(iso);
    const key = `${iso.slice(0, 14)}${Math.floor(Number(iso.slice(14, 16)) / 15)}`;
    let known = cache.get(key);
    if (known === undefined) {
      known = day(iso);
      cache.set(key, known);
    }
    return known;
  };
}

/** A lead whose arrival is no date (never in any period) goes to a day no period asks for. */
export function safeDay(dayOf: (iso: string) => string): (iso: string) => string {
  return (iso) => (Number.isNaN(Date.parse(iso)) ? 'invalid' : dayOf(iso));
}
