import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { StorageError } from '../errors.js';
import type { Lead } from '../leads/lead.js';
import { receivedIn } from '../leads/period.js';
import { ChangeLog } from './change-log.js';
import { DurableJsonFile } from './durable-json-file.js';
import { StringPool } from './intern.js';
import { WriteCoalescer } from './write-coalescer.js';

/** `leads/YYYY-MM.json`: the month as of its last compaction; later changes are in its change log. */
interface MonthFile {
  /** Generation of the change log that follows this snapshot: `YYYY-MM.changes.<n>.jsonl`. */
  changeLog: number;
  leads: Lead[];
}

interface Month {
  key: string;
  snapshot: Low<MonthFile>;
  snapshotBytes: number;
  leads: Lead[];
  /** Position of each lead in `leads`, so a change is O(1). */
  positions: Map<string, number>;
  /** Generation appends go to; logs older than the snapshot's are obsolete. */
  generation: number;
  log?: ChangeLog;
  logBytes: number;
  /** Changed since the last append; the next group commit writes them. */
  dirty: Map<string, Lead>;
  writes: WriteCoalescer;
  compacting?: Promise<void>;
}

const SNAPSHOT = /^(\d{4}-\d{2})\.json$/;
const CHANGE_LOG = /^(\d{4}-\d{2})\.changes\.(\d+)\.jsonl$/;

export interface PartitionOptions {
  /** A log is folded into its snapshot once it outgrows it and this floor, so rewrites stay rare. */
  compactAtBytes?: number;
}

/**
 * Leads by the month they arrived, all kept in memory. On disk each month is a readable JSON
 * snapshot plus an append-only change log (one lead per line, the last line for an id wins).
 * A change costs one fsynced append of that lead, however long the history; concurrent changes
 * share one append. A month's log is folded back into its snapshot in the background once it
 * outgrows it, and at close.
 */
export class LeadPartitions {
  private readonly months = new Map<string, Month>();
  private readonly pool = new StringPool();

  private constructor(
    private readonly dir: string,
    private readonly compactAtBytes: number,
  ) {}

  static async open(dir: string, options: PartitionOptions = {}): Promise<LeadPartitions> {
    await mkdir(dir, { recursive: true });
    const partitions = new LeadPartitions(dir, options.compactAtBytes ?? 4 * 2 ** 20);
    const files = await readdir(dir);
    const keys = new Set(files.flatMap((f) => [SNAPSHOT.exec(f)?.[1], CHANGE_LOG.exec(f)?.[1]]));
    for (const key of [...keys].sort()) if (key) await partitions.load(key, files);
    return partitions;
  }

  /** Every lead, oldest month first, in arrival order within a month. */
  all(): Lead[] {
    return [...this.months.keys()].sort().flatMap((key) => this.months.get(key)?.leads ?? []);
  }

  /** Leads received in [from, to), from the months that can hold them. */
  receivedBetween(from: Date, to: Date): Lead[] {
    const first = from.toISOString().slice(0, 7);
    const last = to.toISOString().slice(0, 7);
    return [...this.months.keys()]
      .filter((key) => key >= first && key <= last)
      .sort()
      .flatMap((key) => this.months.get(key)?.leads ?? [])
      .filter(receivedIn(from, to));
  }

  /** Sorts leads as `all()` lists them: by month, then in arrival order. */
  inArrivalOrder(leads: Lead[]): Lead[] {
    const rank = (lead: Lead) => this.months.get(lead.receivedAt.slice(0, 7))?.positions.get(lead.id) ?? 0;
    return leads.sort(
      (a, b) => a.receivedAt.slice(0, 7).localeCompare(b.receivedAt.slice(0, 7)) || rank(a) - rank(b),
    );
  }

  /** Adds or replaces a lead (in the month it arrived) and resolves once the change is on disk. */
  put(lead: Lead): Promise<void> {
    const key = lead.receivedAt.slice(0, 7);
    // Every month on disk was loaded at open, so a missing one is new: created synchronously,
    // so concurrent puts can never make two partitions for one month.
    const month = this.months.get(key) ?? this.create(key, { changeLog: 0, leads: [] }, 0);
    place(month, lead);
    month.dirty.set(lead.id, lead);
    return month.writes.persist();
  }

  /**
   * Resolves once every change to the lead's month made so far is on disk: a re-delivered lead is
   * acknowledged only when its first delivery is durable, even if that append is still in flight.
   */
  durable(lead: Lead): Promise<void> {
    return this.months.get(lead.receivedAt.slice(0, 7))?.writes.persist() ?? Promise.resolve();
  }

  /** Puts many leads (e.g. a migration) with one append per month touched. */
  async putAll(leads: Lead[]): Promise<void> {
    await Promise.all(leads.map((lead) => this.put(lead)));
  }

  async idle(): Promise<void> {
    for (const month of this.months.values()) {
      await month.writes.idle();
      await month.compacting;
    }
  }

  /** Waits for pending writes, folds every change log into its snapshot, closes the files. */
  async close(): Promise<void> {
    await this.idle();
    for (const month of this.months.values()) {
      if (month.logBytes > 0 || month.log) await this.compact(month);
    }
  }

  private async load(key: string, files: string[]): Promise<void> {
    const path = join(this.dir, `${key}.json`);
    const data = (await new DurableJsonFile<Partial<MonthFile>>(path).read()) ?? { changeLog: 0, leads: [] };
    if (!Array.isArray(data.leads)) throw new StorageError(`${path} is not a Lead Assistant month file.`);
    const from = data.changeLog ?? 0;
    const generations = files
      .map((f) => CHANGE_LOG.exec(f))
      .filter((m) => m?.[1] === key)
      .map((m) => Number(m?.[2]))
      .sort((a, b) => a - b);
    for (const lead of data.leads) this.pool.intern(lead);
    const snapshotBytes = data.leads.length ? (await stat(path)).size : 0;
    const month = this.create(key, { changeLog: from, leads: data.leads }, snapshotBytes);
    for (const generation of generations) {
      const logPath = this.logPath(key, generation);
      // Left by a crash between a compaction's snapshot and its clean-up: already in the snapshot.
      if (generation < from) {
        await unlink(logPath);
        continue;
      }
      const { records, bytes } = await ChangeLog.read<Lead>(logPath);
      for (const lead of records) place(month, this.pool.intern(lead));
      month.logBytes += bytes;
      month.generation = generation;
    }
  }

  private create(key: string, data: MonthFile, snapshotBytes: number): Month {
    const snapshot = new Low<MonthFile>(new DurableJsonFile(join(this.dir, `${key}.json`)), data);
    const month: Month = {
      key,
      snapshot,
      snapshotBytes,
      leads: data.leads,
      positions: new Map(data.leads.map((lead, i) => [lead.id, i])),
      generation: data.changeLog,
      logBytes: 0,
      dirty: new Map(),
      writes: new WriteCoalescer(() => this.flush(month)),
    };
    this.months.set(key, month);
    return month;
  }

  /** One group commit: every lead changed since the last one, in one append and one fsync. */
  private async flush(month: Month): Promise<void> {
    const batch = [...month.dirty.values()];
    month.dirty.clear();
    if (batch.length === 0) return;
    try {
      month.log ??= await ChangeLog.open(this.logPath(month.key, month.generation));
      month.logBytes += await month.log.append(batch);
    } catch (error) {
      // Not on disk: they go with the next commit, and these callers hear of the failure.
      for (const lead of batch) if (!month.dirty.has(lead.id)) month.dirty.set(lead.id, lead);
      throw error;
    }
    if (!month.compacting && month.logBytes > Math.max(this.compactAtBytes, month.snapshotBytes)) {
      month.compacting = this.compact(month)
        .catch(() => undefined) // the logs still hold every change; the next compaction tries again
        .finally(() => {
          month.compacting = undefined;
        });
    }
  }

  /**
   * Writes the month as it is in memory (everything in the current log, maybe a little more) as
   * the new snapshot. Appends go to a fresh log from the start, so none can land in a log that
   * the new snapshot makes obsolete; a crash half-way leaves the old snapshot and both logs.
   */
  private async compact(month: Month): Promise<void> {
    const old = month.log;
    const oldGeneration = month.generation;
    month.generation++;
    month.log = undefined;
    month.logBytes = 0;
    month.snapshot.data = { changeLog: month.generation, leads: month.leads };
    try {
      await month.snapshot.write();
      month.snapshotBytes = (await stat(join(this.dir, `${month.key}.json`))).size;
    } finally {
      await old?.close(); // appends go to the new log either way; the old one stays for recovery
    }
    await unlink(this.logPath(month.key, oldGeneration)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  private logPath(key: string, generation: number): string {
    return join(this.dir, `${key}.changes.${generation}.jsonl`);
  }
}

function place(month: Month, lead: Lead): void {
  const position = month.positions.get(lead.id);
  if (position === undefined) {
    month.positions.set(lead.id, month.leads.length);
    month.leads.push(lead);
  } else {
    month.leads[position] = lead;
  }
}
