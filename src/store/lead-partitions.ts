import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { StorageError } from '../errors.js';
import type { Lead } from '../leads/lead.js';
import { receivedIn } from '../leads/period.js';
import { ChangeLog, type CutLine, type MendedLine, type OpenLogFile } from './change-log.js';
import { DurableJsonFile } from './durable-json-file.js';
import { StringPool } from './intern.js';
import { readMonthIndex, writeMonthIndex } from './month-index-file.js';
import { scanMonthFile } from './month-scan.js';
import { MonthPlaces, searchMonthFile } from './month-search.js';
import { PRIVATE_DIR_MODE } from './private-files.js';

/** `leads/YYYY-MM.json`: the month as of its last compaction; later changes are in its change log. */
interface MonthFile {
  /**
   * Generation of the change log that follows this snapshot: `YYYY-MM.changes.<n>.jsonl`. Since
   * `logCreated` that log is created before the snapshot is written, so it must exist.
   */
  changeLog: number;
  logCreated?: true;
  leads: Lead[];
}

interface Month {
  key: string;
  snapshotBytes: number;
  /**
   * The month as callers see it: every change, durable or on its way to disk. Undefined while the
   * month is on disk only (a closed month nobody asked for lately): then disk and memory agree.
   */
  leads?: Lead[];
  /** Position of each lead in `leads`, so a change is O(1). */
  positions?: Map<string, number>;
  /** A read of the month from disk on its way (ensure). */
  loading?: Promise<void>;
  /** Times it was brought into memory: a lead read alone from its file stands while this holds. */
  loads: number;
  /**
   * Its month file has index and search files that fit it (or needs none). False for this month
   * and the last, whose folds write none: once closed, the month is folded again before it leaves
   * memory, so that a lead of it can be read alone.
   */
  indexed: boolean;
  /** When it was last asked for: the least recently used closed month leaves memory first. */
  used: number;
  /** Generation appends go to; logs older than the snapshot's are obsolete. */
  generation: number;
  log?: Promise<ChangeLog>;
  logBytes: number;
  /** Changed since the last append started; the next group commit writes them. */
  dirty: Map<string, Lead>;
  /**
   * The last durable version of each lead whose change is not on disk yet (undefined: a new lead).
   * A failed append puts these back, so memory never holds what the disk refused.
   */
  durable: Map<string, Lead | undefined>;
  /** The group commit waiting for the one in flight; every change since joins it. */
  next?: Deferred;
  /** The group commit being appended now. */
  inFlight?: Deferred;
  /** Listed in the settings file's months (every month loaded from disk is, after open). */
  listed: boolean;
  compacting?: Promise<void>;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/** A lead read alone from a month on disk only (none: not in it), and the month's state then. */
export interface LeadOnDisk {
  lead: Lead | undefined;
  key: string;
  loads: number;
  generation: number;
}

const SNAPSHOT = /^(\d{4}-\d{2})\.json$/;
const CHANGE_LOG = /^(\d{4}-\d{2})\.changes\.(\d+)\.jsonl$/;

export interface PartitionOptions {
  /** A log is folded into its snapshot once it outgrows it and this floor, so rewrites stay rare. */
  compactAtBytes?: number;
  /** How change logs are opened: the seam where tests inject a short write or a full disk. */
  openLog?: OpenLogFile;
  /** A half-written last line was cut off at open (power lost mid-append, never acknowledged). */
  onCut?: (cut: CutLine) => void;
  /** A whole last record had lost only its newline: kept, the newline added. */
  onMended?: (mended: MendedLine) => void;
  /** A change the disk refused was taken back: `lead` is gone from memory, `durable` is back. */
  onRevert?: (lead: Lead, durable: Lead | undefined) => void;
  /** A month's first change is about to be appended: record that the month exists (awaited). */
  onNewMonth?: (key: string) => Promise<void>;
  /** A compaction failed; the change logs still hold everything. */
  onCompactionFailed?: (error: unknown) => void;
  /**
   * Every lead read at open (each month in turn, before it may leave memory again), and the leads
   * of `putAll`: what the caller's indexes are built from.
   */
  onIndex?: (lead: Lead) => void;
  /** A closed month read back from disk: the object memory already holds for a lead, if any. */
  adopt?: (lead: Lead) => Lead;
  /**
   * What a closed month's index file holds besides the checks (`YYYY-MM.index.json`, written with
   * each month file): the caller's indexes of those leads, so a start need not parse the month.
   */
  summarize?: (key: string, leads: Lead[]) => unknown;
  /** Takes a month's summary back into the caller's indexes; false when it does not fit (stale). */
  restore?: (key: string, summary: unknown) => boolean;
  /** Closed months kept in memory after a read (least recently used first out). */
  cachedMonths?: number;
  /** The clock that says which months are current (this one and the last stay in memory). */
  now?: () => number;
}

/**
 * Leads by the month they arrived. This month and the last are kept in memory; an older month is
 * read from disk when asked for (through lowdb) and leaves memory again, least recently used
 * first, once more than `cachedMonths` are held and nothing of it is on its way to disk. On disk each month is a readable JSON
 * snapshot plus an append-only change log (one lead per line, the last line for an id wins).
 * A change costs one fsynced append of that lead, however long the history; concurrent changes
 * share one append. A failed append takes back every change not on disk, and its callers hear
 * of it. A month's log is folded back into its snapshot in the background once it outgrows it,
 * and at close.
 */
export class LeadPartitions {
  private readonly months = new Map<string, Month>();
  private readonly pool = new StringPool();
  /** Where each lead of a closed month's file is: a lookup by id reads that lead alone. */
  private readonly places: MonthPlaces;
  private clock = 0;

  private constructor(
    private readonly dir: string,
    private readonly options: PartitionOptions,
  ) {
    this.places = new MonthPlaces(dir);
  }

  static async open(dir: string, options: PartitionOptions = {}): Promise<LeadPartitions> {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const partitions = new LeadPartitions(dir, options);
    const files = await readdir(dir);
    const keys = new Set(files.flatMap((f) => [SNAPSHOT.exec(f)?.[1], CHANGE_LOG.exec(f)?.[1]]));
    for (const key of [...keys].sort()) {
      if (!key) continue;
      const month = await partitions.load(key, files);
      // Indexed, then let go of: only this month and the last stay, with the few asked for later.
      for (const lead of month.leads ?? []) options.onIndex?.(lead);
      partitions.evict(0);
    }
    return partitions;
  }

  /** The months that hold leads (`YYYY-MM`). */
  get keys(): string[] {
    return [...this.months.keys()].sort();
  }

  /**
   * Every lead, oldest month first, in arrival order within a month. Months on disk only are read
   * for this and not kept (an export or a search must not push out the months in use).
   */
  async all(first = '', last = '9999-99'): Promise<Lead[]> {
    const keys = this.keys.filter((key) => key >= first && key <= last);
    const months = await Promise.all(keys.map((key) => this.read(key)));
    return months.flat();
  }

  /** Leads received in [from, to), from the months that can hold them. */
  async receivedBetween(from: Date, to: Date): Promise<Lead[]> {
    const leads = await this.all(from.toISOString().slice(0, 7), to.toISOString().slice(0, 7));
    return leads.filter(receivedIn(from, to));
  }

  /** The months whose leads are in memory now. */
  inMemory(): string[] {
    return this.keys.filter((key) => this.months.get(key)?.leads !== undefined);
  }

  /**
   * Every lead that may hold all of `words` (lower case, `scannable`) in its text: all of each
   * month in memory, and of a month on disk only those whose text holds them (the rest is not parsed).
   */
  async mayHold(words: string[]): Promise<Lead[]> {
    const months = await Promise.all(this.keys.map((key) => this.scan(key, words)));
    return months.flat();
  }

  /**
   * Whether the month holds changes its month file does not (its change logs are not empty): what
   * was derived from the month file alone (its index file) does not describe it then.
   */
  changedSinceSnapshot(key: string): boolean {
    return (this.months.get(key)?.logBytes ?? 0) > 0;
  }

  /** A month's leads, from memory or read from disk without keeping them. */
  leadsOf(key: string): Promise<Lead[]> {
    return this.read(key);
  }

  /** This month or the last: their leads are always in memory, and no index file is kept of them. */
  isCurrent(key: string): boolean {
    const now = new Date(this.options.now?.() ?? Date.now());
    return (
      key >= new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7)
    );
  }

  /** Whether the month's leads are in memory (a month that does not exist yet counts as such). */
  loaded(key: string): boolean {
    return this.months.get(key)?.leads !== undefined || !this.months.has(key);
  }

  /** A lead of a month in memory, as callers see it; undefined if the month or the lead is not. */
  get(key: string, id: string): Lead | undefined {
    const month = this.months.get(key);
    const position = month?.positions?.get(id);
    return position === undefined ? undefined : month?.leads?.[position];
  }

  /**
   * One lead of a month on disk only, as its file and logs hold it, read alone from its place in
   * the month file (its search file says where): the month is not parsed nor brought into memory.
   * Undefined when it cannot be read so (the month is in memory or being read, has no search file
   * for the file as it is, or was brought in or folded meanwhile): the caller reads the month.
   */
  async leadOnDisk(key: string, id: string): Promise<LeadOnDisk | undefined> {
    const month = this.months.get(key);
    if (!month || month.leads || month.loading || month.snapshotBytes === 0) return undefined;
    const read: LeadOnDisk = { lead: undefined, key, ...markOf(month) };
    const snapshot = await this.places.lead(key, id);
    if (!snapshot) return undefined;
    read.lead = snapshot.leads[0] as Lead | undefined;
    for (const record of await this.logged(key, snapshot.changeLog, read.generation))
      if (record.id === id) read.lead = record;
    return this.stillOnDisk(read) ? read : undefined;
  }

  /**
   * Whether a lead read alone is still what the disk holds: its month has not been brought into
   * memory since (every change to a lead of a month on disk brings its month in first).
   */
  stillOnDisk(read: LeadOnDisk): boolean {
    const month = this.months.get(read.key);
    return !!month && !month.loading && unchangedSince(month, read);
  }

  /** Brings a month into memory (read once, whoever asks meanwhile) and returns its leads as then. */
  async ensure(key: string): Promise<Lead[]> {
    const month = this.months.get(key);
    if (!month) return [];
    while (!month.leads) {
      month.loading ??= this.reload(month).finally(() => {
        month.loading = undefined;
      });
      await month.loading;
    }
    const leads = month.leads;
    month.used = ++this.clock;
    this.evict(this.options.cachedMonths ?? 3, month); // never the month just asked for
    return leads;
  }

  /** Sorts leads as `all()` lists them: by month, then in arrival order (by time for a month on disk). */
  inArrivalOrder(leads: Lead[]): Lead[] {
    const rank = (lead: Lead) => this.months.get(lead.receivedAt.slice(0, 7))?.positions?.get(lead.id) ?? 0;
    return leads.sort(
      (a, b) =>
        a.receivedAt.slice(0, 7).localeCompare(b.receivedAt.slice(0, 7)) ||
        rank(a) - rank(b) ||
        a.receivedAt.localeCompare(b.receivedAt),
    );
  }

  /**
   * Adds or replaces a lead (in the month it arrived) and resolves once the change is on disk.
   * Memory changes at once, so concurrent callers see it; if the append fails, the change (and
   * any made on top of it meanwhile) is taken back and the promise rejects.
   */
  put(lead: Lead): Promise<void> {
    const key = lead.receivedAt.slice(0, 7);
    // Every month on disk was listed at open, so a missing one is new: created synchronously,
    // so concurrent puts can never make two partitions for one month.
    const month = this.months.get(key) ?? this.create(key, { changeLog: 0, leads: [] }, 0);
    if (!month.leads || !month.positions)
      return Promise.reject(new StorageError(`The leads of ${key} are not in memory; ensure(${key}) first.`));
    const position = month.positions.get(lead.id);
    if (!month.durable.has(lead.id))
      month.durable.set(lead.id, position === undefined ? undefined : month.leads[position]);
    place(month, lead);
    month.dirty.set(lead.id, lead);
    return this.commit(month);
  }

  /**
   * Resolves once the lead as it is now is on disk: a re-delivered lead is acknowledged only when
   * its first delivery is durable, even if that append is still in flight (and fails with it).
   */
  durable(lead: Lead): Promise<void> {
    const month = this.months.get(lead.receivedAt.slice(0, 7));
    return month?.durable.has(lead.id) ? this.commit(month) : Promise.resolve();
  }

  /** Puts many leads (e.g. a migration) with one append per month touched. */
  async putAll(leads: Lead[]): Promise<void> {
    for (const key of new Set(leads.map((lead) => lead.receivedAt.slice(0, 7)))) await this.ensure(key);
    await Promise.all(leads.map((lead) => this.put(lead)));
    for (const lead of leads) this.options.onIndex?.(lead);
  }

  async idle(): Promise<void> {
    for (const month of this.months.values()) {
      for (let commit = month.next ?? month.inFlight; commit; commit = month.next ?? month.inFlight)
        await commit.promise.catch(() => undefined);
      await month.compacting;
    }
  }

  /**
   * Waits for pending writes, folds every change log into its snapshot, closes the files. A fold
   * that fails (a full disk) is reported and skipped: the change logs still hold everything.
   */
  async close(): Promise<void> {
    await this.idle();
    for (const month of this.months.values()) {
      // A month on disk only keeps its log as it is: replayed at the next start, nothing lost.
      if (month.logBytes > 0 && month.leads) await this.fold(month);
      await (await month.log?.catch(() => undefined))?.close().catch(() => undefined);
    }
  }

  /** Closes the files without writing anything more, as a crash would leave them (tests). */
  async abandon(): Promise<void> {
    for (const month of this.months.values()) {
      month.next = undefined;
      await (await month.log?.catch(() => undefined))?.close().catch(() => undefined);
    }
  }

  /**
   * Loads a month, after checking that every file the others refer to is there: a change log of
   * generation n > 0 exists only once a snapshot did, and a snapshot names the log that follows
   * it. A missing one is refused, never read as empty.
   */
  private async load(key: string, files: string[]): Promise<Month> {
    const path = join(this.dir, `${key}.json`);
    const generations = files
      .map((f) => CHANGE_LOG.exec(f))
      .filter((m) => m?.[1] === key)
      .map((m) => Number(m?.[2]))
      .sort((a, b) => a - b);
    const hasSnapshot = files.includes(`${key}.json`);
    // A closed month with an index file that fits its month file is not parsed: its summary is
    // taken into the indexes, its logs are replayed into them, and its leads stay on disk.
    const indexed = hasSnapshot && !this.isCurrent(key) ? await readMonthIndex(this.dir, key) : undefined;
    const restored = indexed !== undefined && (this.options.restore?.(key, indexed.summary) ?? false);
    const data: MonthFile = restored
      ? {
          changeLog: indexed.snapshot.changeLog,
          leads: [],
          ...(indexed.snapshot.logCreated ? { logCreated: true } : {}),
        }
      : hasSnapshot
        ? await readMonthFile(path)
        : { changeLog: 0, leads: [] };
    const from = data.changeLog ?? 0;
    const live = generations.filter((g) => g >= from);
    const expected = Array.from({ length: (live.at(-1) ?? from) - from + 1 }, (_, i) => from + i);
    const missing = expected.filter((g) => !live.includes(g));
    // A snapshot written before logCreated existed may name a log that was never opened.
    if (missing[0] === from && hasSnapshot && !data.logCreated && live.length === 0) missing.shift();
    if (!hasSnapshot && generations.some((g) => g > 0) && !generations.includes(0)) {
      throw new StorageError(
        `${path} is missing, but ${this.logPath(key, live[0] ?? 0)} shows it existed: the leads of ` +
          `${key} before that log would be lost. Nothing was changed. Restore ${key}.json from your ` +
          'backup of DATA_DIR into the leads folder, then start again.',
      );
    }
    if (missing.length > 0) {
      const names = missing.map((g) => this.logPath(key, g)).join(', ');
      throw new StorageError(
        `${names} ${missing.length > 1 ? 'are' : 'is'} missing: ${hasSnapshot ? path : 'the month'} ` +
          `needs ${missing.length > 1 ? 'them' : 'it'} for the changes since its last compaction. ` +
          'Nothing was changed. Restore the file from your backup of DATA_DIR, then start again.',
      );
    }
    for (const lead of data.leads) this.pool.intern(lead);
    const snapshotBytes = restored ? indexed.snapshot.bytes : data.leads.length ? (await stat(path)).size : 0;
    // Summarized before the logs change the array: the index file describes the month file alone.
    if (hasSnapshot && !restored && !this.isCurrent(key)) await this.writeIndex(key, data);
    const month = this.create(key, { changeLog: from, leads: data.leads }, snapshotBytes, true);
    month.indexed = hasSnapshot && !this.isCurrent(key); // restored, or written just above
    if (restored) {
      month.leads = undefined;
      month.positions = undefined;
    }
    for (const generation of generations) {
      const logPath = this.logPath(key, generation);
      // Left by a crash between a compaction's snapshot and its clean-up: already in the snapshot.
      if (generation < from) {
        await unlink(logPath);
        continue;
      }
      const { records, bytes, cut, mended } = await ChangeLog.read<Lead>(logPath);
      if (cut) this.options.onCut?.(cut);
      if (mended) this.options.onMended?.(mended);
      if (restored) for (const lead of records) this.options.onIndex?.(lead);
      else for (const lead of records) place(month, this.pool.intern(lead));
      month.logBytes += bytes;
      month.generation = generation;
    }
    return month;
  }

  /**
   * Reads a month on disk only back into memory: its file, then its logs from the snapshot's
   * generation on. Nothing of it was on its way to disk when it left memory, so this is the month
   * as callers last saw it; a lead memory holds anyway (an open one) keeps its object.
   */
  private async reload(month: Month): Promise<void> {
    const leads = await this.readFromDisk(month);
    const adopt = this.options.adopt ?? ((lead: Lead) => lead);
    month.leads = leads.map((lead) => adopt(lead));
    month.positions = new Map(month.leads.map((lead, i) => [lead.id, i]));
    month.loads++;
  }

  /** A month's leads: from memory, or read from disk without keeping them (a walk over history). */
  private async read(key: string): Promise<Lead[]> {
    const month = this.months.get(key);
    if (!month) return [];
    for (;;) {
      if (month.leads) return [...month.leads];
      const mark = markOf(month);
      const leads = await this.readFromDisk(month);
      if (unchangedSince(month, mark)) return leads;
    }
  }

  /** A month's leads that may hold `word`; the whole month when it is in memory or not laid out as written. */
  private async scan(key: string, words: string[]): Promise<Lead[]> {
    const month = this.months.get(key);
    if (!month || month.leads) return this.read(key);
    const mark = markOf(month);
    const path = join(this.dir, `${key}.json`);
    const snapshot =
      month.snapshotBytes > 0
        ? ((await searchMonthFile(this.dir, key, words)) ?? (await scanMonthFile(path, words)))
        : { changeLog: 0, leads: [] };
    if (!snapshot) return this.read(key);
    const logged = new Map<string, Lead>();
    for (const lead of await this.logged(key, snapshot.changeLog, mark.generation)) logged.set(lead.id, lead);
    if (!unchangedSince(month, mark)) return this.read(key);
    return [...(snapshot.leads as Lead[]).filter((lead) => !logged.has(lead.id)), ...logged.values()];
  }

  /** The month as its file and logs hold it; a half line at a log's end (never acknowledged) is skipped. */
  private async readFromDisk(month: Month): Promise<Lead[]> {
    const path = join(this.dir, `${month.key}.json`);
    const data = month.snapshotBytes > 0 ? await readMonthFile(path) : { changeLog: 0, leads: [] };
    const partial: Month = { ...month, leads: [], positions: new Map() };
    for (const lead of data.leads) place(partial, this.pool.intern(lead));
    for (let generation = data.changeLog; generation <= month.generation; generation++) {
      const records = await ChangeLog.records<Lead>(this.logPath(month.key, generation));
      for (const lead of records) place(partial, this.pool.intern(lead));
    }
    return partial.leads ?? [];
  }

  /**
   * Lets go of closed months beyond `cachedMonths`, least recently used first. This month and the
   * last stay, and so does a month with a change on its way to disk or being folded.
   */
  private evict(keep: number, asked?: Month): void {
    const cached = [...this.months.values()]
      .filter((month) => month.leads && !this.isCurrent(month.key))
      .sort((a, b) => a.used - b.used);
    const evictable = cached.filter(
      (m) =>
        m !== asked && m.dirty.size === 0 && m.durable.size === 0 && !m.next && !m.inFlight && !m.compacting,
    );
    for (let excess = cached.length - keep; excess > 0; excess--) {
      const month = evictable.shift();
      if (!month) return;
      if (!month.indexed && month.snapshotBytes + month.logBytes > 0) {
        void this.fold(month); // closed since its last fold (a new month began): it stays till done
        continue;
      }
      month.leads = undefined;
      month.positions = undefined;
    }
  }

  private create(key: string, data: MonthFile, snapshotBytes: number, fromDisk = false): Month {
    const month: Month = {
      key,
      snapshotBytes,
      used: ++this.clock,
      leads: data.leads,
      positions: new Map(data.leads.map((lead, i) => [lead.id, i])),
      generation: data.changeLog,
      loads: 0,
      indexed: false,
      logBytes: 0,
      dirty: new Map(),
      durable: new Map(),
      listed: fromDisk,
    };
    this.months.set(key, month);
    return month;
  }

  /** Writes the index and search files of a month file just read or written (see month-index-file). */
  private async writeIndex(key: string, data: MonthFile): Promise<void> {
    const summary = this.options.summarize?.(key, data.leads);
    if (summary === undefined) return;
    await writeMonthIndex(this.dir, key, data, summary);
  }

  /** Joins the next group commit, starting it unless one is in flight. */
  private commit(month: Month): Promise<void> {
    month.next ??= deferred();
    const waiting = month.next.promise;
    if (!month.inFlight) void this.writeCommits(month);
    return waiting;
  }

  /** Group commits, one at a time: every lead changed since the last one, in one append and one fsync. */
  private async writeCommits(month: Month): Promise<void> {
    try {
      for (let commit = month.next; commit; commit = month.next) {
        month.inFlight = commit;
        month.next = undefined;
        const batch = [...month.dirty.values()];
        month.dirty.clear();
        try {
          if (batch.length > 0) {
            const log = await this.logOf(month);
            // A new month is listed (settings file) once its log exists and before anything in it
            // is acknowledged: a month that disappears later is then noticed at start.
            if (!month.listed) {
              await this.options.onNewMonth?.(month.key);
              month.listed = true;
            }
            month.logBytes += await log.append(batch);
          }
        } catch (error) {
          // Nothing of it is on disk: take back this batch and everything changed on top of it.
          const queued = month.next as Deferred | undefined; // changes made while this one was in flight
          month.next = undefined;
          this.revert(month);
          commit.reject(error);
          queued?.reject(error);
          continue;
        }
        for (const lead of batch) {
          if (month.dirty.has(lead.id)) month.durable.set(lead.id, lead);
          else month.durable.delete(lead.id);
        }
        commit.resolve();
        this.compactIfDue(month);
      }
    } finally {
      month.inFlight = undefined;
    }
  }

  private revert(month: Month): void {
    if (!month.leads || !month.positions) return; // never: a month with changes on their way stays
    const taken = [...month.durable];
    month.durable.clear();
    month.dirty.clear();
    const removed = new Set<string>();
    for (const [id, durable] of taken) {
      const position = month.positions?.get(id);
      const current = position === undefined ? undefined : month.leads[position];
      if (durable) place(month, durable);
      else removed.add(id);
      if (current) this.options.onRevert?.(current, durable);
    }
    if (removed.size === 0) return;
    month.leads.splice(0, month.leads.length, ...month.leads.filter((lead) => !removed.has(lead.id)));
    month.positions.clear();
    for (const [i, lead] of month.leads.entries()) month.positions.set(lead.id, i);
  }

  private compactIfDue(month: Month): void {
    const floor = this.options.compactAtBytes ?? 4 * 2 ** 20;
    if (month.compacting || month.logBytes <= Math.max(floor, month.snapshotBytes)) return;
    void this.fold(month);
  }

  /** Folds the month's logs into its file, marked meanwhile so that it never leaves memory then. */
  private fold(month: Month): Promise<void> {
    month.compacting ??= this.compact(month)
      .catch((error) => this.options.onCompactionFailed?.(error)) // the logs still hold every change
      .finally(() => {
        month.compacting = undefined;
      });
    return month.compacting;
  }

  /**
   * Writes the month as it is durably (what its logs hold) as the new snapshot. The next log is
   * created first and appends go to it from the start, so none can land in a log that the new
   * snapshot makes obsolete, and the snapshot never names a log that is not there. A crash
   * half-way leaves the old snapshot and both logs, which are replayed in order.
   */
  private async compact(month: Month): Promise<void> {
    // Taken now, between group commits: changes on their way to disk are left out as not durable.
    const leads = (month.leads ?? []).flatMap((lead) =>
      month.durable.has(lead.id) ? (month.durable.get(lead.id) ?? []) : [lead],
    );
    const old = month.log;
    const oldGeneration = month.generation;
    month.generation++;
    month.log = undefined;
    month.logBytes = 0;
    try {
      await this.logOf(month);
      // Through lowdb over the durable adapter: fsynced, renamed, the folder fsynced.
      const db = new Low<MonthFile>(new DurableJsonFile(join(this.dir, `${month.key}.json`)), {
        changeLog: month.generation,
        logCreated: true,
        leads,
      });
      await db.write();
      month.snapshotBytes = (await stat(join(this.dir, `${month.key}.json`))).size;
      // This month and the last are read whole at start: an index file of them would go unread
      // (and cost the busiest month a second pass at each fold). Made once they are closed.
      month.indexed = !this.isCurrent(month.key);
      if (month.indexed) await this.writeIndex(month.key, db.data);
    } finally {
      // Appends go to the new log either way; the old one stays for recovery.
      await (await old?.catch(() => undefined))?.close().catch(() => undefined);
    }
    await unlink(this.logPath(month.key, oldGeneration)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** The month's current log, opened once; a failed open is tried again next time. */
  private logOf(month: Month): Promise<ChangeLog> {
    if (!month.log) {
      const opening = ChangeLog.open(this.logPath(month.key, month.generation), this.options.openLog);
      opening.catch(() => {
        if (month.log === opening) month.log = undefined;
      });
      month.log = opening;
    }
    return month.log;
  }

  /** The changes a month's logs `from`..`to` (generations) hold, in the order they were made. */
  private async logged(key: string, from: number, to: number): Promise<Lead[]> {
    const records: Lead[] = [];
    for (let g = from; g <= to; g++) records.push(...(await ChangeLog.records<Lead>(this.logPath(key, g))));
    return records;
  }

  private logPath(key: string, generation: number): string {
    return join(this.dir, `${key}.changes.${generation}.jsonl`);
  }
}

function place(month: Month, lead: Lead): void {
  const { leads, positions } = month;
  if (!leads || !positions) return;
  const position = positions.get(lead.id);
  if (position === undefined) {
    positions.set(lead.id, leads.length);
    leads.push(lead);
  } else {
    leads[position] = lead;
  }
}

/** A month file, read through lowdb over the durable adapter; anything but one is refused. */
async function readMonthFile(path: string): Promise<MonthFile> {
  const db = new Low<Partial<MonthFile>>(new DurableJsonFile<Partial<MonthFile>>(path), {});
  await db.read();
  const { changeLog = 0, logCreated, leads } = db.data;
  if (!Array.isArray(leads)) {
    // lowdb reads a missing file as empty: told apart here, as an operator fixes each differently.
    const gone = await stat(path).then(
      () => false,
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
    );
    throw new StorageError(
      gone
        ? `${path} is missing, and the store knows leads in it. Nothing was changed. Restore it from your backup of DATA_DIR, then start again.`
        : `${path} is not a Lead Assistant month file.`,
    );
  }
  return { changeLog, ...(logCreated ? { logCreated } : {}), leads };
}

/** What a read of a month on disk only relies on staying as it was: see `unchangedSince`. */
function markOf(month: Month): { loads: number; generation: number } {
  return { loads: month.loads, generation: month.generation };
}

/**
 * Whether what was read of a month on disk only, at `mark`, still holds: the month was not brought
 * into memory since (that is newer) nor folded (a log read may have been removed by then).
 */
function unchangedSince(month: Month, mark: { loads: number; generation: number }): boolean {
  return !month.leads && month.loads === mark.loads && month.generation === mark.generation;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // a commit nobody waits on any more must not crash the process
  return { promise, resolve, reject };
}
