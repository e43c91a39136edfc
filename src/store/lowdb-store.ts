import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PacingJournal } from '../delivery/pacing-journal.js';
import { ConflictError, NotFoundError, StorageError, StorageUnavailableError } from '../errors.js';
import {
  keepBookkeeping,
  patchDelivery,
  patchOwnerNotice,
  patchReminders,
  patchRepeat,
  requeueFailed,
  withDeliveries,
} from '../leads/bookkeeping.js';
import { patchEventCursor, requireEndpoint } from '../leads/event-cursor.js';
import {
  type Delivery,
  type EventCursor,
  holdsFingerprint,
  type Lead,
  type OwnerNotice,
  type RepeatSighting,
} from '../leads/lead.js';
import { isClosed } from '../leads/lifecycle.js';
import { findLeads } from '../leads/queries.js';
import {
  type KeptCells,
  keptCells,
  monthCells,
  RollupBook,
  type RollupSource,
} from '../leads/rollup-book.js';
import { ROLLUP_FORMAT, type RollupCell } from '../leads/rollups.js';
import { searchWords } from '../leads/search.js';
import type {
  ChannelBacklog,
  EventEndpointStats,
  LeadStore,
  Send,
  StoreHealth,
  StoreStats,
} from '../leads/store.js';
import { describeError, type Logger, silentLogger } from '../log.js';
import { DataDirLock, type LockOptions } from './data-dir-lock.js';
import { type DurableJsonFile, removeStaleTempFiles } from './durable-json-file.js';
import { type LeadOnDisk, LeadPartitions, type PartitionOptions } from './lead-partitions.js';
import { LeadIndexes } from './lowdb/lead-indexes.js';
import { LowdbSettings } from './lowdb/settings.js';
import {
  lockLost,
  type Meta,
  openSettingsFile,
  probeWrite,
  readEventEndpoints,
} from './lowdb/settings-file.js';
import { MemoryCoordination, MemoryLeases, oldestFirst } from './memory-coordination.js';
import { scannable } from './month-scan.js';
import { PRIVATE_DIR_MODE, tightenDataDir } from './private-files.js';

/** Teams sends, one line each (PacingJournal's format), so pacing holds across a restart. */
const PACING_FILE = 'teams-pacing.log';

/** A lead whose month is on disk only: read the month (`LeadPartitions.ensure`), then look again. */
const COLD = Symbol('on disk only');

export interface StoreOptions
  extends Pick<PartitionOptions, 'compactAtBytes' | 'openLog' | 'cachedMonths' | 'now'> {
  /** Where the store reports what it repaired or could not do (cut lines, stale locks). */
  log?: Logger;
  lock?: Pick<LockOptions, 'heartbeatMs' | 'staleMs'>;
  /** TIME_ZONE: the summary rollups are built at open in its days (else when first asked for). */
  timeZone?: string;
}

/**
 * The embedded default store: readable JSON files in DATA_DIR. Memory holds the indexes, the open
 * leads and this month and the last; older months are read when asked for (LeadPartitions).
 */
export class LowdbStore extends LowdbSettings implements LeadStore {
  /** Changes to the settings file waiting for the next write; applied to `meta` only once on disk. */
  /** Summary rollups in TIME_ZONE's days (leads/rollup-book.ts): every change stored is counted. */
  rollups: RollupBook | undefined;
  /** The latest change counted in the rollups per lead, until it is on disk (a refusal takes it back). */
  private readonly rolledUp = new Map<string, Lead>();
  /** The first of the writes failing now; cleared by the next write that succeeds. */
  private failure: { reason: string; since: string } | undefined;
  private lastProbe = 0;
  /** One process per DATA_DIR (the lock), so leases need not outlive it: a restart starts free. */
  private readonly leases = new MemoryLeases();
  /** Opened on first use: until then nothing of this store touches the file. */
  private journal: PacingJournal | undefined;
  /** Where sends go when the journal cannot be opened (a read-only folder): this process remembers. */
  private journalless: MemoryCoordination | undefined;

  private constructor(
    private readonly dataDir: string,
    meta: Meta,
    metaFile: DurableJsonFile<Meta>,
    private readonly leads: LeadPartitions,
    private readonly indexes: LeadIndexes,
    private readonly lock: DataDirLock,
    private readonly log: Logger,
  ) {
    super(meta, metaFile);
  }

  /**
   * Opens DATA_DIR for this process alone: a second process on the same folder is refused (see
   * DataDirLock). Checks that every file the others refer to is there, and refuses, changing
   * nothing, when one is missing; removes temp files a crashed write left behind.
   */
  static async open(dataDir: string, options: StoreOptions = {}): Promise<LowdbStore> {
    await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const log = options.log ?? silentLogger;
    const lock = await DataDirLock.acquire(dataDir, {
      ...options.lock,
      onRecovered: (stale) =>
        log.warn('took over the lock of a process that is gone', {
          pid: stale.pid,
          host: stale.host,
          since: stale.since,
        }),
      onLost: (reason) => log.error(`lost the lock on DATA_DIR: ${reason}; refusing every write from now on`),
    });
    let store: LowdbStore | undefined;
    try {
      // Made private before anything is read: customers' details are in it.
      const tightened = await tightenDataDir(dataDir);
      if (tightened.changed > 0)
        log.warn(
          'DATA_DIR was open to other users of this machine: made it private (folders 0700, files 0600)',
          {
            dir: dataDir,
            entries: tightened.changed,
          },
        );
      if (tightened.refused.length > 0)
        log.error('could not make these DATA_DIR entries private; change their owner or mode by hand', {
          entries: tightened.refused.slice(0, 20),
        });
      const leadsDir = join(dataDir, 'leads');
      await mkdir(leadsDir, { recursive: true, mode: PRIVATE_DIR_MODE });
      for (const dir of [dataDir, leadsDir])
        for (const name of await removeStaleTempFiles(dir))
          log.warn('removed a temp file a crash left', { file: name });
      let partitions: LeadPartitions | undefined;
      const indexes = new LeadIndexes((leads) => partitions?.inArrivalOrder(leads) ?? leads);
      // Each closed month's rollup cells as its index file keeps them (or as its file was just rolled
      // up), so the summary rollups are built at open without reading history back.
      const zone = options.timeZone;
      const keptRollups = new Map<string, RollupCell[]>();
      let opening = true;
      // The endpoints first, so the leads read next are indexed against them once.
      const endpoints = await readEventEndpoints(dataDir);
      indexes.events.setEndpoints(endpoints, []);
      partitions = await LeadPartitions.open(leadsDir, {
        ...options,
        onIndex: (lead) => indexes.index(lead),
        summarize: (key, leads) => {
          const summary = indexes.summarize(leads);
          if (!zone) return summary;
          const cells = monthCells(leads, zone);
          if (opening) keptRollups.set(key, cells);
          const rollups: KeptCells = { format: ROLLUP_FORMAT, timeZone: zone, cells };
          return { ...summary, rollups };
        },
        // An index file without this zone's cells is refused: the month is read once and its index
        // file written again with them.
        restore: (key, summary) => {
          const cells = zone ? keptCells((summary as { rollups?: unknown } | undefined)?.rollups, zone) : [];
          if (!cells || !indexes.restore(key, summary)) return false;
          if (zone) keptRollups.set(key, cells);
          return true;
        },
        adopt: (lead) => indexes.open.get(lead.id) ?? lead,
        onCut: (cut) =>
          log.warn('cut off a half-written change (never acknowledged): bytes from position to the end', {
            ...cut,
          }),
        onMended: (mended) =>
          log.warn('kept a whole last change whose newline was lost, and added the newline', { ...mended }),
        onRevert: (lead, durable) => store?.reindex(lead, durable),
        // Months found on disk are listed at open (below); a new one before its first append.
        onNewMonth: (key) => store?.listMonth(key) ?? Promise.resolve(),
        onCompactionFailed: (error) =>
          log.warn('could not fold a change log into its month file; the log keeps every change', {
            error: describeError(error),
          }),
      });
      const { meta, file } = await openSettingsFile(dataDir, partitions);
      if (indexes.events.differs(meta.eventEndpoints ?? []))
        indexes.events.setEndpoints(meta.eventEndpoints ?? [], await partitions.all());
      else indexes.events.replaceEndpoints(meta.eventEndpoints ?? []);
      store = new LowdbStore(dataDir, meta, file, partitions, indexes, lock, log);
      // History is read before the store takes its first change (so no change is counted twice
      // or missed); the rolling up itself goes on in the background, changes queued behind it. A
      // closed month whose index file holds its cells is not read; one changed since its month file
      // was written (its change log is not empty), or this month and the last, are.
      opening = false;
      if (zone) {
        const history: RollupSource[] = [];
        for (const key of partitions.keys) {
          const cells =
            partitions.isCurrent(key) || partitions.changedSinceSnapshot(key)
              ? undefined
              : keptRollups.get(key);
          history.push(cells ? { cells } : { leads: await partitions.leadsOf(key) });
        }
        keptRollups.clear();
        store.rollups = RollupBook.inBackground(history, zone);
      }
      return store;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * Stores a new lead, or refuses with ConflictError when its payload's fingerprint is taken (with
   * the lead that has it) or its id is (with none); only what is on disk counts as taken. The checks and the
   * change in memory run in one synchronous step, after whatever had to be read from disk.
   */
  async createLead(lead: Lead): Promise<Lead> {
    const key = lead.receivedAt.slice(0, 7);
    const onDisk = new Map<string, LeadOnDisk>();
    for (;;) {
      const known = this.holderOf(lead.fingerprint, onDisk);
      if (typeof known === 'string') await this.readAlone(known, onDisk);
      else if (known) {
        const durable = await this.durable(known); // a sighting on its way to disk is waited for
        if (durable && holdsFingerprint(durable, lead.fingerprint))
          throw new ConflictError(`Lead ${durable.id} holds this payload already.`, durable);
      } else if (this.indexes.monthOf(lead.id) !== undefined) {
        // Its holder is not read: it cannot hold this payload (the fingerprint was looked up
        // first), and its month may be on disk only, parsed whole for a retry that needs nothing
        // from it (ids are 1 in 24 million, so at 100,000 leads one new lead in 240 hit one).
        throw new ConflictError(`Lead id ${lead.id} is taken.`, undefined);
      } else if (!this.leads.loaded(key)) await this.leads.ensure(key);
      else {
        await this.store(lead);
        return lead;
      }
    }
  }

  /** The leads whose customer has this e-mail (of a month on disk only, read alone). */
  async findByEmail(email: string): Promise<Lead[]> {
    const wanted = email.toLowerCase();
    const found = await Promise.all(this.indexes.withEmail(wanted).map((id) => this.read(id)));
    return this.leads.inArrivalOrder(
      found.filter((lead): lead is Lead => lead?.customer.email.toLowerCase() === wanted),
    );
  }

  /** Only what is on disk counts as known: a sighting still on its way waits for its append. */
  async findByFingerprint(fingerprint: string): Promise<Lead | undefined> {
    const onDisk = new Map<string, LeadOnDisk>();
    for (;;) {
      const known = this.holderOf(fingerprint, onDisk);
      if (typeof known === 'string') {
        await this.readAlone(known, onDisk);
        continue;
      }
      if (!known) return undefined;
      const durable = await this.durable(known);
      return durable && holdsFingerprint(durable, fingerprint) ? durable : undefined;
    }
  }

  /** The lead as it is on disk: a change still on its way is waited for (and gone if refused). */
  async getLead(id: string): Promise<Lead | undefined> {
    const lead = await this.read(id);
    if (!lead) return undefined;
    // Its month still on disk only, it was read alone from there: no change to it can be on its
    // way (a change brings its month into memory first). Else a change on its way is waited for.
    return this.peek(id) === COLD ? lead : this.durable(lead);
  }

  async listLeads(): Promise<Lead[]> {
    return this.leads.all();
  }

  async listOpenLeads(): Promise<Lead[]> {
    return [...this.indexes.open.values()];
  }

  async listClosedLeads(): Promise<Lead[]> {
    return (await this.leads.all()).filter((lead) => isClosed(lead) && !lead.erased);
  }

  /** Months on disk only are scanned for the words that can be, and only the leads holding them parsed. */
  async searchLeads(text: string): Promise<Lead[]> {
    const words = searchWords(text);
    if (words.length === 0) return [];
    const scanned = words.filter(scannable);
    return findLeads(scanned.length > 0 ? await this.leads.mayHold(scanned) : await this.leads.all(), text);
  }

  async listLeadsReceived(from: Date, to: Date): Promise<Lead[]> {
    return this.leads.receivedBetween(from, to);
  }

  /** Compares and changes in one synchronous step, once the lead's month is in memory. */
  saveLead(lead: Lead, expectedVersion: number): Promise<Lead> {
    return this.withLead(lead.id, async (current) => {
      if (current.version !== expectedVersion) {
        throw new ConflictError(`Lead ${lead.id} changed (version ${current.version}).`, current);
      }
      const saved = { ...keepBookkeeping(lead, current), version: expectedVersion + 1 };
      await this.store(saved);
      return saved;
    });
  }

  /**
   * The cells kept in TIME_ZONE's days. Asked in another zone (or with no TIME_ZONE given), they
   * are rolled up from the leads for this answer only: a book kept must have seen every change.
   */
  async rollupCells(fromDay: string, toDay: string, timeZone: string): Promise<RollupCell[]> {
    const kept = this.rollups?.timeZone === timeZone ? this.rollups : undefined;
    const book = kept ?? RollupBook.rebuild(await this.leads.all(), timeZone);
    await book.ready;
    return book.between(fromDay, toDay, !kept); // the kept one read only, as its leads are
  }

  updateDelivery(
    leadId: string,
    conversationId: string,
    patch: Partial<Delivery>,
    ifVersion?: number,
  ): Promise<Lead> {
    return this.bookkeep(leadId, (lead) => patchDelivery(lead, conversationId, patch, ifVersion));
  }

  updateOwnerNotice(leadId: string, forVersion: number, patch: Partial<OwnerNotice>): Promise<Lead> {
    return this.bookkeep(leadId, (lead) => patchOwnerNotice(lead, forVersion, patch));
  }

  updateReminders(leadId: string, patch: NonNullable<Lead['reminders']>): Promise<Lead> {
    return this.bookkeep(leadId, (lead) => patchReminders(lead, patch));
  }

  updateRepeat(leadId: string, index: number, patch: Partial<RepeatSighting>): Promise<Lead> {
    return this.bookkeep(leadId, (lead) => patchRepeat(lead, index, patch));
  }

  addDeliveries(leadId: string, deliveries: Delivery[]): Promise<Lead> {
    return this.bookkeep(leadId, (lead) => withDeliveries(lead, deliveries));
  }

  async retryFailedDeliveries(teamId: string): Promise<number> {
    const ids = this.indexes.unposted.withFailedDeliveries().map((lead) => lead.id);
    const changed = await Promise.all(
      ids.map((id) =>
        this.withLead(id, async (lead) => {
          const requeued = requeueFailed(lead, teamId);
          if (requeued) await this.store(requeued);
          return requeued ? 1 : 0;
        }).catch((error: unknown) => (error instanceof NotFoundError ? 0 : Promise.reject(error))),
      ),
    );
    return changed.reduce<number>((sum, n) => sum + n, 0);
  }

  async pendingByChannel(limit: number): Promise<ChannelBacklog[]> {
    return this.indexes.unposted.pendingByChannel(limit);
  }

  async listOwedUpdates(): Promise<Lead[]> {
    return this.indexes.unposted.owedUpdates();
  }

  async listUndelivered(): Promise<Lead[]> {
    return this.indexes.unposted.withoutDelivery();
  }

  async listOwedAnnouncements(): Promise<Lead[]> {
    return this.indexes.unposted.owedAnnouncements();
  }

  async listOwedEvents(endpointKey: string, limit: number): Promise<Lead[]> {
    return this.indexes.events.owedTo(endpointKey, limit);
  }

  async updateEventCursor(leadId: string, endpointKey: string, patch: Partial<EventCursor>): Promise<Lead> {
    const endpoint = requireEndpoint(this.meta.eventEndpoints ?? [], endpointKey);
    return this.bookkeep(leadId, (lead) => patchEventCursor(lead, endpoint, patch));
  }

  async eventStats(): Promise<EventEndpointStats[]> {
    return this.indexes.events.stats();
  }

  acquireLease(name: string, holder: string, ttlMs: number, now?: Date): Promise<boolean> {
    return this.leases.acquireLease(name, holder, ttlMs, now);
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return this.leases.releaseLease(name, holder);
  }

  /** Pacing is a courtesy: a send the journal cannot write is remembered in memory (PacingJournal). */
  async recordSend(send: Send): Promise<void> {
    const journal = this.pacingJournal();
    if (journal) journal.record({ ...send });
    else await this.journalless?.recordSend(send);
  }

  async recentSends(since: number): Promise<Send[]> {
    const journal = this.pacingJournal();
    if (!journal) return (await this.journalless?.recentSends(since)) ?? [];
    return oldestFirst(journal.sends.filter((s) => s.at >= since).map((s) => ({ ...s })));
  }

  async stats(): Promise<StoreStats> {
    return {
      leads: this.indexes.count,
      ...this.indexes.unposted.counts(),
      installations: this.meta.installations.length,
    };
  }

  /** The months (`YYYY-MM`) whose leads are in memory: this one and the last, and a few read lately. */
  monthsInMemory(): string[] {
    return this.leads.inMemory();
  }

  /**
   * `degraded` while writes fail (a full disk, an I/O error, the folder's lock lost), with the
   * reason; `ok` again once a write succeeds. While degraded, a small probe write (at most every
   * 5 s) tells when the disk takes writes again, even if no lead comes.
   */
  async health(): Promise<StoreHealth> {
    if (!(await this.lock.verify())) {
      return {
        status: 'degraded',
        reason: `Lost the lock on ${this.dataDir}; restart this process.`,
        since: '',
      };
    }
    if (this.failure && Date.now() - this.lastProbe >= 5_000) {
      this.lastProbe = Date.now();
      await this.track(probeWrite(this.dataDir)).catch(() => undefined);
    }
    return this.failure ? { status: 'degraded', ...this.failure } : { status: 'ok' };
  }

  /** Resolves once nothing is being written, background compactions included. */
  async settled(): Promise<void> {
    await this.settingsWritten();
    await this.leads.idle();
  }

  async close(): Promise<void> {
    this.journal?.close();
    this.journal = undefined;
    await this.settingsWritten();
    await this.leads.close();
    await this.lock.release();
  }

  /**
   * Lets go of the files as `kill -9` would: nothing more is written, nothing folded, the lock
   * released (as the kernel's process table would show it gone). For crash tests in one process.
   */
  async abandon(): Promise<void> {
    this.journal?.close();
    this.journal = undefined;
    await this.leads.abandon();
    await this.lock.release();
  }

  /**
   * The endpoints on disk changed: the index follows, walking every lead (months on disk read,
   * not kept) only if "owed" changed. A lead changed during the walk counts as it is now.
   */
  protected async eventEndpointsChanged(): Promise<void> {
    if (!this.indexes.events.differs(this.meta.eventEndpoints ?? [])) {
      this.indexes.events.replaceEndpoints(this.meta.eventEndpoints ?? []);
      return;
    }
    const leads = await this.leads.all();
    const now = leads.map((lead) => {
      const current = this.peek(lead.id);
      return current && current !== COLD ? current : lead;
    });
    this.indexes.events.setEndpoints(this.meta.eventEndpoints ?? [], now);
  }

  private pacingJournal(): PacingJournal | undefined {
    if (this.journal || this.journalless) return this.journal;
    this.journal = PacingJournal.tryOpen(join(this.dataDir, PACING_FILE), Date.now(), (error) =>
      this.log.warn('cannot keep Teams sends in DATA_DIR; pacing starts afresh after a restart', {
        error: describeError(error),
      }),
    );
    if (!this.journal) this.journalless = new MemoryCoordination();
    return this.journal;
  }

  /** A bookkeeping change, applied to the lead as it is now (synchronously: no claim slips between). */
  private bookkeep(leadId: string, change: (lead: Lead) => Lead): Promise<Lead> {
    return this.withLead(leadId, async (lead) => {
      const saved = change(lead);
      if (saved === lead) return saved; // nothing to change (a conditional patch that no longer applies)
      await this.store(saved);
      return saved;
    });
  }

  /**
   * Runs `act` on the lead as memory holds it now, its month read first if it is on disk only.
   * `act` starts in the same synchronous step as the look-up, so no other change slips between.
   */
  private async withLead<T>(id: string, act: (lead: Lead) => Promise<T>): Promise<T> {
    for (;;) {
      const key = this.indexes.monthOf(id);
      // An open lead of a closed month is in memory, but its month must be too, to be written.
      if (key !== undefined && !this.leads.loaded(key)) {
        await this.leads.ensure(key);
        continue;
      }
      const lead = key === undefined ? undefined : this.leads.get(key, id);
      if (!lead) throw new NotFoundError(`No lead ${id}.`);
      return act(lead);
    }
  }

  /** The lead as memory holds it, COLD if its month is on disk only, undefined if there is none. */
  private peek(id: string): Lead | undefined | typeof COLD {
    const key = this.indexes.monthOf(id);
    if (key === undefined) return undefined;
    if (this.leads.loaded(key)) return this.leads.get(key, id);
    return this.indexes.open.get(id) ?? COLD;
  }

  /**
   * The lead as memory holds it; of a month on disk only, read alone from the month file (a few
   * KB, where a whole month is megabytes), or, when it cannot be, by reading its month (kept a while).
   */
  private async read(id: string): Promise<Lead | undefined> {
    for (;;) {
      const lead = this.peek(id);
      if (lead !== COLD) return lead;
      const alone = await this.aloneOrBringIn(id);
      if (alone) return alone.lead;
    }
  }

  /** Reads a lead of a month on disk only into `onDisk`, alone, or else brings its month into memory. */
  private async readAlone(id: string, onDisk: Map<string, LeadOnDisk>): Promise<void> {
    const alone = await this.aloneOrBringIn(id);
    if (alone) onDisk.set(id, alone);
  }

  /** A lead of a month on disk only, read alone; undefined once its month is brought into memory instead. */
  private async aloneOrBringIn(id: string): Promise<LeadOnDisk | undefined> {
    const key = this.indexes.monthOf(id) ?? '';
    const alone = await this.leads.leadOnDisk(key, id);
    if (!alone) await this.leads.ensure(key);
    return alone;
  }

  /**
   * The lead holding this fingerprint as memory has it (or as read alone into `onDisk`, while its
   * month is still on disk only), the id of one to read first when one that may hold it is on
   * disk only (the index keeps a 30-bit hash: at a million leads one lookup in a thousand meets
   * another payload's), or undefined when none does. Synchronous, so the caller's check and its
   * change are one step.
   */
  private holderOf(fingerprint: string, onDisk: Map<string, LeadOnDisk>): Lead | string | undefined {
    for (const id of this.indexes.withFingerprint(fingerprint)) {
      let lead = this.peek(id);
      if (lead === COLD) {
        const alone = onDisk.get(id);
        if (!alone || !this.leads.stillOnDisk(alone)) return id;
        lead = alone.lead;
      }
      if (lead && holdsFingerprint(lead, fingerprint)) return lead;
    }
    return undefined;
  }

  /**
   * Memory first (synchronously, so concurrent callers see it), then the lead's month file. If
   * the disk refuses it, the partitions take the change back (`reindex`) and this rejects.
   */
  private store(lead: Lead): Promise<void> {
    return this.guardWrite(() => {
      const key = lead.receivedAt.slice(0, 7);
      if (!this.leads.loaded(key))
        return Promise.reject(new StorageError(`The leads of ${key} are not in memory to be changed.`));
      if (this.rollups) {
        this.rollups.apply(this.leads.get(key, lead.id), lead);
        this.rolledUp.set(lead.id, lead);
      }
      this.indexes.index(lead);
      return this.leads.put(lead).then(() => {
        if (this.rolledUp.get(lead.id) === lead) this.rolledUp.delete(lead.id);
      });
    });
  }

  /** Waits for a lead's change in flight, if any; the lead as it is durably (undefined: taken back). */
  private async durable(lead: Lead): Promise<Lead | undefined> {
    await this.leads.durable(lead).catch(() => undefined);
    return this.read(lead.id);
  }

  /** A change the disk refused: `lead` leaves the indexes, `durable` (what the disk holds) comes back. */
  private reindex(lead: Lead, durable: Lead | undefined): void {
    // Only the latest change counted is taken back out of the rollups (with it, those before it).
    if (this.rolledUp.get(lead.id) === lead) {
      this.rollups?.apply(lead, durable);
      this.rolledUp.delete(lead.id);
    }
    this.indexes.reindex(lead, durable);
  }

  /** Writes only while this process holds DATA_DIR's lock, noting whether writes work. */
  protected guardWrite<T>(write: () => Promise<T>): Promise<T> {
    if (!this.lock.held) return Promise.reject(lockLost(this.dataDir));
    return this.track(write());
  }

  /** Notes whether writes work: the first failure (and its time) until the next success. */
  private track<T>(write: Promise<T>): Promise<T> {
    return write.then(
      (value) => {
        this.failure = undefined;
        return value;
      },
      (error: unknown) => {
        if (error instanceof StorageUnavailableError && !this.failure) {
          this.failure = { reason: error.message, since: new Date().toISOString() };
          this.lastProbe = Date.now(); // the first probe a little later, not on the heels of the failure
        }
        throw error;
      },
    );
  }
}
