import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PacingJournal } from '../delivery/pacing-journal.js';
import { ConflictError, NotFoundError, StorageUnavailableError } from '../errors.js';
import {
  keepBookkeeping,
  patchDelivery,
  patchReminders,
  patchRepeat,
  requeueFailed,
  withDeliveries,
} from '../leads/bookkeeping.js';
import { patchEventCursor, requireEndpoint } from '../leads/event-cursor.js';
import type { Delivery, EventCursor, Lead, RepeatSighting } from '../leads/lead.js';
import { isClosed } from '../leads/lifecycle.js';
import { findLeads } from '../leads/queries.js';
import { RollupBook } from '../leads/rollup-book.js';
import type { RollupCell } from '../leads/rollups.js';
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
import { LeadPartitions, type PartitionOptions } from './lead-partitions.js';
import { LeadIndexes } from './lowdb/lead-indexes.js';
import { LowdbSettings } from './lowdb/settings.js';
import { lockLost, type Meta, openSettingsFile, probeWrite } from './lowdb/settings-file.js';
import { MemoryCoordination, MemoryLeases, oldestFirst } from './memory-coordination.js';
import { PRIVATE_DIR_MODE, tightenDataDir } from './private-files.js';

/** Teams sends, one line each (PacingJournal's format), so pacing holds across a restart. */
const PACING_FILE = 'teams-pacing.log';

export interface StoreOptions extends Pick<PartitionOptions, 'compactAtBytes' | 'openLog'> {
  /** Where the store reports what it repaired or could not do (cut lines, stale locks). */
  log?: Logger;
  lock?: Pick<LockOptions, 'heartbeatMs' | 'staleMs'>;
  /** TIME_ZONE: the summary rollups are built at open in its days (else when first asked for). */
  timeZone?: string;
}

/** The embedded default store: readable JSON files in DATA_DIR, everything kept in memory. */
export class LowdbStore extends LowdbSettings implements LeadStore {
  private readonly indexes = new LeadIndexes((leads) => this.leads.inArrivalOrder(leads));
  /** Changes to the settings file waiting for the next write; applied to `meta` only once on disk. */
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
    private readonly lock: DataDirLock,
    private readonly log: Logger,
  ) {
    super(meta, metaFile);
    this.indexes.events.setEndpoints(meta.eventEndpoints ?? [], []);
    for (const lead of leads.all()) this.indexes.index(lead);
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
      const partitions = await LeadPartitions.open(leadsDir, {
        ...options,
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
      store = new LowdbStore(dataDir, meta, file, partitions, lock, log);
      // Built in the background: start does not wait for history to be rolled up.
      if (options.timeZone)
        store.indexes.rollups = RollupBook.inBackground(partitions.all(), options.timeZone);
      return store;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * Stores a new lead, or refuses (ConflictError, with the lead that has it) when its id or its
   * payload's fingerprint is taken; only what is on disk counts as taken.
   */
  async createLead(lead: Lead): Promise<Lead> {
    for (
      let known = this.indexes.byFingerprint.get(lead.fingerprint);
      known;
      known = this.indexes.byFingerprint.get(lead.fingerprint)
    ) {
      const durable = await this.durable(known); // a sighting on its way to disk is waited for
      if (durable && this.indexes.byFingerprint.get(lead.fingerprint)?.id === durable.id)
        throw new ConflictError(`Lead ${durable.id} holds this payload already.`, durable);
    }
    const holder = this.indexes.byId.get(lead.id);
    if (holder) throw new ConflictError(`Lead id ${lead.id} is taken.`, holder);
    await this.store(lead);
    return lead;
  }

  async findByEmail(email: string): Promise<Lead[]> {
    return this.indexes.withEmail(email);
  }

  /** Only what is on disk counts as known: a sighting still on its way waits for its append. */
  async findByFingerprint(fingerprint: string): Promise<Lead | undefined> {
    const lead = this.indexes.byFingerprint.get(fingerprint);
    if (!lead) return undefined;
    const durable = await this.durable(lead);
    return durable && this.indexes.byFingerprint.get(fingerprint)?.id === durable.id ? durable : undefined;
  }

  /** The lead as it is on disk: a change still on its way is waited for (and gone if refused). */
  async getLead(id: string): Promise<Lead | undefined> {
    const lead = this.indexes.byId.get(id);
    return lead ? this.durable(lead) : undefined;
  }

  async listLeads(): Promise<Lead[]> {
    return this.leads.all();
  }

  async listOpenLeads(): Promise<Lead[]> {
    return [...this.indexes.open.values()];
  }

  async listClosedLeads(): Promise<Lead[]> {
    return this.leads.all().filter((lead) => isClosed(lead) && !lead.erased);
  }

  async searchLeads(text: string): Promise<Lead[]> {
    return findLeads(this.leads.all(), text);
  }

  async listLeadsReceived(from: Date, to: Date): Promise<Lead[]> {
    return this.leads.receivedBetween(from, to);
  }

  /** From memory; rebuilt from the leads the first time, and when asked in another time zone. */
  async rollupCells(fromDay: string, toDay: string, timeZone: string): Promise<RollupCell[]> {
    if (this.indexes.rollups?.timeZone !== timeZone)
      this.indexes.rollups = RollupBook.rebuild(this.indexes.byId.values(), timeZone);
    const book = this.indexes.rollups;
    await book.ready;
    return book.between(fromDay, toDay, false); // read only, as its leads are
  }

  async saveLead(lead: Lead, expectedVersion: number): Promise<Lead> {
    const current = this.requireLead(lead.id);
    if (current.version !== expectedVersion) {
      throw new ConflictError(`Lead ${lead.id} changed (version ${current.version}).`, current);
    }
    const saved = { ...keepBookkeeping(lead, current), version: expectedVersion + 1 };
    await this.store(saved);
    return saved;
  }

  updateDelivery(leadId: string, conversationId: string, patch: Partial<Delivery>): Promise<Lead> {
    return this.bookkeep(leadId, (lead) => patchDelivery(lead, conversationId, patch));
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
    const changed = this.indexes.unposted
      .withFailedDeliveries()
      .flatMap((lead) => requeueFailed(lead, teamId) ?? []);
    await Promise.all(changed.map((lead) => this.store(lead)));
    return changed.length;
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
      leads: this.indexes.byId.size,
      ...this.indexes.unposted.counts(),
      installations: this.meta.installations.length,
    };
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

  /** The endpoints on disk changed: the index follows (walking every lead only if "owed" changed). */
  protected eventEndpointsChanged(): void {
    const endpoints = this.meta.eventEndpoints ?? [];
    if (this.indexes.events.differs(endpoints))
      this.indexes.events.setEndpoints(endpoints, this.indexes.byId.values());
    else this.indexes.events.replaceEndpoints(endpoints);
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
  private async bookkeep(leadId: string, change: (lead: Lead) => Lead): Promise<Lead> {
    const saved = change(this.requireLead(leadId));
    await this.store(saved);
    return saved;
  }

  private requireLead(id: string): Lead {
    const lead = this.indexes.byId.get(id);
    if (!lead) throw new NotFoundError(`No lead ${id}.`);
    return lead;
  }

  /**
   * Memory first (synchronously, so concurrent callers see it), then the lead's month file. If
   * the disk refuses it, the partitions take the change back (`reindex`) and this rejects.
   */
  private store(lead: Lead): Promise<void> {
    return this.guardWrite(() => {
      this.indexes.index(lead);
      return this.leads.put(lead);
    });
  }

  /** Waits for a lead's change in flight, if any; the lead as it is durably (undefined: taken back). */
  private async durable(lead: Lead): Promise<Lead | undefined> {
    await this.leads.durable(lead).catch(() => undefined);
    return this.indexes.byId.get(lead.id);
  }

  /** A change the disk refused: `lead` leaves the indexes, `durable` (what the disk holds) comes back. */
  private reindex(lead: Lead, durable: Lead | undefined): void {
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
