// Summary rollups on Azure Tables: one aggregate row per cell (leads/rollups.ts) in `index`,
// partition `rollup:<zone>:<YYYY-MM>` (the cell's day's month), row = a hash of the cell's key.
// A lead's change moves its cells after the lead is written: each row read, changed and written
// back at its ETag, and read again when another instance wrote first (412), or created (409 when
// another did first). Rows are for the zone the store was opened with (TIME_ZONE); a summary in
// another zone is rolled up from the leads. `rollup:state` says which schema and zone the rows
// are for, or that a change could not be counted: the rows are rebuilt from the leads at open then.
import { createHash } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { StorageUnavailableError } from '../../errors.js';
import type { Lead } from '../../leads/lead.js';
import { dayInZone, safeDay } from '../../leads/rollup-book.js';
import {
  addInto,
  cellId,
  emptyCell,
  isEmptyCell,
  ROLLUP_SCHEMA,
  type RollupCell,
  rollupDelta,
  rollupOf,
} from '../../leads/rollups.js';
import { describeError, type Logger } from '../../log.js';
import { getText, putText } from './columns.js';
import { toKey } from './keys.js';
import type { StoredRow, Table } from './table.js';

const STATE = { partitionKey: 'rollup', rowKey: 'state' };
const MAX_TRIES = 50;
/** Rows remembered as last written here: a day's cells, for the days leads are changing on. */
const KNOWN_CELLS = 256;

type Move = { sign: 1 | -1; part: RollupCell };
/** A rollup row as written, with the ETag it was given. */
type Known = Record<string, unknown> & { etag: string };

export class RollupRows {
  private readonly dayOf: (iso: string) => string;
  /** Per cell, moves waiting for the write in flight to end: they go together in the next one. */
  private readonly waiting = new Map<string, { moves: Move[]; written: Promise<void> }>();
  /** Per cell, the last write queued: one write at a time per cell from this instance. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Per row (`partition|row`), what this instance last wrote there and its ETag (at most KNOWN_CELLS). */
  private readonly written = new Map<string, Known>();

  constructor(
    private readonly index: Table,
    readonly timeZone: string,
    private readonly log: Logger,
  ) {
    this.dayOf = safeDay(dayInZone(timeZone));
  }

  /** Whether the rows are for this schema and zone, with every change counted. */
  async current(): Promise<boolean> {
    const state = await this.index.get(STATE.partitionKey, STATE.rowKey);
    return state?.schema === ROLLUP_SCHEMA && state.zone === this.timeZone && state.stale !== true;
  }

  /** Every row of this zone made again from the leads (an upgrade, or after a change not counted). */
  async rebuild(leads: Lead[]): Promise<void> {
    const rows = [...rollupOf(leads, this.dayOf).values()].map((cell) => this.rowOf(cell));
    const kept = new Set(rows.map((row) => `${row.partitionKey}|${row.rowKey}`));
    const from = this.partition('');
    const old = await this.index.query(odata`PartitionKey ge ${from} and PartitionKey lt ${`${from}~`}`, [
      'PartitionKey',
      'RowKey',
    ]);
    for (const row of old)
      if (!kept.has(`${row.partitionKey}|${row.rowKey}`))
        await this.index.remove(row.partitionKey, row.rowKey);
    for (const row of rows) await this.index.upsert(row);
    await this.index.upsert({ ...STATE, schema: ROLLUP_SCHEMA, zone: this.timeZone, stale: false });
  }

  /**
   * A lead's change counted: each cell it moves, read-modify-written at its ETag. A change that
   * cannot be counted (Azure refusing) leaves the rows marked stale for the next start to rebuild;
   * the lead itself is already stored, so it is not refused.
   */
  async apply(before: Lead | undefined, after: Lead | undefined): Promise<void> {
    const byCell = new Map<string, Move[]>();
    for (const move of rollupDelta(before, after, this.dayOf)) {
      const id = cellId(move.part);
      byCell.set(id, [...(byCell.get(id) ?? []), move]);
    }
    try {
      await Promise.all([...byCell].map(([id, moves]) => this.queue(id, moves)));
    } catch (error) {
      this.log.error(
        'could not count a lead change in the summary rollups; they are rebuilt at the next start',
        {
          lead: (after ?? before)?.id,
          error: describeError(error),
        },
      );
      await this.index
        .upsert({ ...STATE, schema: ROLLUP_SCHEMA, zone: this.timeZone, stale: true })
        .catch(() => undefined);
    }
  }

  /** The cells of days `fromDay`..`toDay`: one query over their months' partitions. */
  async between(fromDay: string, toDay: string): Promise<RollupCell[]> {
    const [first, last] = [this.partition(fromDay.slice(0, 7)), this.partition(toDay.slice(0, 7))];
    const rows = await this.index.query(
      odata`PartitionKey ge ${first} and PartitionKey le ${last} and day ge ${fromDay} and day le ${toDay}`,
    );
    return rows.map(cellOf);
  }

  /**
   * A cell's moves, written after this instance's write of that cell in flight, together with any
   * others that arrive meanwhile: fifty leads of one day at once make two writes, not fifty
   * writers retrying on one row's ETag.
   */
  private queue(id: string, moves: Move[]): Promise<void> {
    const batch = this.waiting.get(id);
    if (batch) {
      batch.moves.push(...moves);
      return batch.written;
    }
    const next = { moves: [...moves], written: Promise.resolve() };
    next.written = (this.tails.get(id) ?? Promise.resolve()).then(() => {
      this.waiting.delete(id);
      return this.move(next.moves);
    });
    this.waiting.set(id, next);
    const tail = next.written.catch(() => undefined);
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return next.written;
  }

  /**
   * One cell's moves in one write; again from a fresh read while another instance writes first.
   * The first try starts from the row as this instance last wrote it (still conditional on its
   * ETag: a stale copy costs a failed write and a read, never a lost count), so that a day's cell
   * written from here costs a write a change, not a read and a write.
   */
  private async move(moves: Move[]): Promise<void> {
    const first = moves[0]?.part;
    if (!first) return;
    const [partitionKey, rowKey] = [this.partition(first.day.slice(0, 7)), rowKeyOf(first)];
    const key = `${partitionKey}|${rowKey}`;
    let known = this.written.get(key);
    this.written.delete(key); // kept again below only once written at that ETag
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const stored = known ?? (await this.index.get(partitionKey, rowKey));
      known = undefined;
      const cell = stored ? cellOf(stored) : emptyCell(first);
      for (const { sign, part } of moves) addInto(cell, part, sign);
      const row = this.rowOf(cell);
      // Written: the new ETag; true: nothing left to keep (an empty cell); undefined: try again.
      const written = isEmptyCell(cell)
        ? !stored || (await this.index.remove(partitionKey, rowKey, stored.etag)) || undefined
        : await (stored ? this.index.replace(row, stored.etag) : this.index.insert(row));
      if (typeof written === 'string') this.remember(key, { ...row, etag: written });
      if (written !== undefined) return;
      if (attempt > 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
    throw new StorageUnavailableError('A summary rollup row is being changed by many writers at once.');
  }

  /** The row as this instance wrote it, the most recently written cells first to stay. */
  private remember(key: string, row: Known): void {
    this.written.set(key, row);
    if (this.written.size > KNOWN_CELLS) this.written.delete(this.written.keys().next().value as string);
  }

  private partition(month: string): string {
    return `rollup:${toKey(this.timeZone)}:${month}`;
  }

  private rowOf(cell: RollupCell): Record<string, unknown> & { partitionKey: string; rowKey: string } {
    const row = { partitionKey: this.partition(cell.day.slice(0, 7)), rowKey: rowKeyOf(cell), day: cell.day };
    putText(row, 'c', JSON.stringify(cell));
    return row;
  }
}

function rowKeyOf(cell: RollupCell): string {
  return createHash('sha256').update(cellId(cell)).digest('hex');
}

function cellOf(row: StoredRow | Record<string, unknown>): RollupCell {
  return JSON.parse(getText(row, 'c')) as RollupCell;
}
