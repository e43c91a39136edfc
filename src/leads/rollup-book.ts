// The rollup cells kept in memory, by day: the embedded and in-memory stores hold one and tell it
// every change (`apply`), and a summary asks it for the cells of its days. Built from the leads
// (`rebuild`) at start, or when asked in another time zone than the one it was built for.
import type { Lead } from './lead.js';
import { localDay } from './report-series.js';
import { addInto, cellId, isEmptyCell, type RollupCell, rollupDelta, rollupOf } from './rollups.js';

export class RollupBook {
  private readonly cells = new Map<string, RollupCell>();
  private readonly byDay = new Map<string, Set<string>>();
  private readonly dayOf: (iso: string) => string;

  private constructor(readonly timeZone: string) {
    this.dayOf = safeDay(localDay(timeZone));
  }

  /** The cells of every lead given, in the zone's days. */
  static rebuild(leads: Iterable<Lead>, timeZone: string): RollupBook {
    const book = new RollupBook(timeZone);
    for (const [id, cell] of rollupOf(leads, book.dayOf)) book.put(id, cell);
    return book;
  }

  /** A lead created (`before` undefined), saved or patched; or a change taken back (swap them). */
  apply(before: Lead | undefined, after: Lead | undefined): void {
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

  /** Copies of the cells of days `fromDay`..`toDay` (inclusive). */
  between(fromDay: string, toDay: string): RollupCell[] {
    const out: RollupCell[] = [];
    for (const [day, ids] of this.byDay) {
      if (day < fromDay || day > toDay) continue;
      for (const id of ids) {
        const cell = this.cells.get(id);
        if (cell) out.push(structuredClone(cell));
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

/** A lead whose arrival is no date (never in any period) goes to a day no period asks for. */
export function safeDay(dayOf: (iso: string) => string): (iso: string) => string {
  return (iso) => (Number.isNaN(Date.parse(iso)) ? 'invalid' : dayOf(iso));
}
