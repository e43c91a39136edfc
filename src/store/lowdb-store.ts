import { chmod, copyFile, mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PacingJournal } from '../delivery/pacing-journal.js';
import { ConflictError, NotFoundError, StorageError, StorageUnavailableError } from '../errors.js';
import {
  keepBookkeeping,
  patchDelivery,
  patchReminders,
  patchRepeat,
  requeueFailed,
  withDeliveries,
} from '../leads/bookkeeping.js';
import { type EventEndpoint, patchEventCursor, requireEndpoint } from '../leads/event-cursor.js';
import type { Delivery, EventCursor, Lead, RepeatSighting } from '../leads/lead.js';
import { isClosed, isOpen } from '../leads/lifecycle.js';
import { findLeads } from '../leads/queries.js';
import type {
  ChannelBacklog,
  DigestSubscription,
  EventEndpointStats,
  Installation,
  LeadStore,
  Routing,
  Send,
  StoreHealth,
  StoreStats,
} from '../leads/store.js';
import { describeError, type Logger, silentLogger } from '../log.js';
import { DataDirLock, type LockOptions } from './data-dir-lock.js';
import { DeliveryIndex } from './delivery-index.js';
import { DurableJsonFile, removeStaleTempFiles, TEMP_SUFFIX } from './durable-json-file.js';
import { EventIndex } from './event-index.js';
import { LeadPartitions, type PartitionOptions } from './lead-partitions.js';
import { MemoryCoordination, MemoryLeases, oldestFirst } from './memory-coordination.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenDataDir } from './private-files.js';
import { WriteCoalescer } from './write-coalescer.js';

/** The small file: where the bot is installed, routing, digests. Leads live in `leads/YYYY-MM.json`. */
interface Meta {
  schema: 2;
  installations: Installation[];
  routing: Routing;
  digests: DigestSubscription[];
  /** Every month that holds leads (`YYYY-MM`): a month whose files all vanish is noticed at start. */
  months?: string[];
  /** Lead events endpoints (EVENTS_URL), by the hash of their URL. */
  eventEndpoints?: EventEndpoint[];
  /** Sources' checkpoints (e.g. the MarketplaceLeads poller's), by name. */
  checkpoints?: Record<string, string>;
}

/** Version 1 kept the leads in the same file; opening it moves them out. */
interface MetaV1 extends Omit<Meta, 'schema' | 'digests'> {
  schema: 1;
  leads: Lead[];
  digests?: DigestSubscription[];
}

const FILE_NAME = 'lead-assistant.json';
/** Teams sends, one line each (PacingJournal's format), so pacing holds across a restart. */
const PACING_FILE = 'teams-pacing.log';

export interface StoreOptions extends Pick<PartitionOptions, 'compactAtBytes' | 'openLog'> {
  /** Where the store reports what it repaired or could not do (cut lines, stale locks). */
  log?: Logger;
  lock?: Pick<LockOptions, 'heartbeatMs' | 'staleMs'>;
}

/** The embedded default store: readable JSON files in DATA_DIR, everything kept in memory. */
export class LowdbStore implements LeadStore {
  private readonly byId = new Map<string, Lead>();
  private readonly byFingerprint = new Map<string, Lead>();
  /** e-mail → lead ids; may hold ids whose e-mail changed (erased), so callers re-check. */
  /** An id, or ids for the few repeat buyers: a Set per e-mail costs megabytes at 100k leads. */
  private readonly byEmail = new Map<string, string | string[]>();
  /** Leads still being worked: a fraction of history, asked for by commands and every reminder sweep. */
  private readonly open = new Map<string, Lead>();
  /**
   * Leads with a card pending (per channel, in arrival order), failed or owed an update: the
   * outbox and /healthz ask often, and nearly all history is posted and current.
   * `unposted.forget(id)` drops a lead from it.
   */
  private readonly unposted = new DeliveryIndex((leads) => this.leads.inArrivalOrder(leads));
  /** Leads owing lead events, per active endpoint. */
  private readonly events = new EventIndex();
  /** Changes to the settings file waiting for the next write; applied to `meta` only once on disk. */
  private readonly metaChanges: Array<(meta: Meta) => Meta> = [];
  private readonly metaWrites = new WriteCoalescer(() => this.writeMeta());
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
    private meta: Meta,
    private readonly metaFile: DurableJsonFile<Meta>,
    private readonly leads: LeadPartitions,
    private readonly lock: DataDirLock,
    private readonly log: Logger,
  ) {
    this.events.setEndpoints(meta.eventEndpoints ?? [], []);
    for (const lead of leads.all()) this.index(lead);
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
      const path = join(dataDir, FILE_NAME);
      const file = new DurableJsonFile<Meta | MetaV1>(path);
      const found = await file.read();
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
      if (!found && partitions.keys.length > 0) {
        throw new StorageError(
          `${path} is missing, but ${leadsDir} holds leads: without it the bot would forget every team ` +
            'it is installed in, and where leads go. Nothing was changed. Restore it from your backup ' +
            'of DATA_DIR. If the bot was never added to a team, create it with the content ' +
            `${JSON.stringify(emptyMeta())} and start again.`,
        );
      }
      let meta = found ?? emptyMeta();
      if (!found) await file.write(meta); // from now on, leads without it mean it was lost
      if (meta.schema === 1 && Array.isArray(meta.leads)) {
        // Leads are durable in their month files before the old file stops holding them.
        await copyFile(path, `${path}.v1.bak`);
        await chmod(`${path}.v1.bak`, PRIVATE_FILE_MODE);
        await partitions.putAll(meta.leads);
        const { leads: _moved, ...rest } = meta;
        meta = { ...rest, schema: 2, digests: rest.digests ?? [] };
        await file.write(meta);
      }
      if (meta.schema !== 2) {
        throw new StorageError(`${path} is not a Lead Assistant data file (schema ${String(meta.schema)}).`);
      }
      const gone = (meta.months ?? []).filter((key) => !partitions.keys.includes(key));
      if (gone.length > 0) {
        throw new StorageError(
          `${path} lists the leads of ${gone.join(', ')}, but ${leadsDir} has no file for ` +
            `${gone.length > 1 ? 'those months' : 'that month'} (${gone.map((k) => `${k}.json, ${k}.changes.*.jsonl`).join('; ')}). ` +
            'Those leads would be lost. Nothing was changed. Restore the leads folder from your backup of DATA_DIR, then start again.',
        );
      }
      const months = [...new Set([...(meta.months ?? []), ...partitions.keys])].sort();
      if (months.length !== (meta.months ?? []).length) {
        meta = { ...meta, months }; // months written by a version that did not list them, or a crash
        await file.write(meta);
      }
      store = new LowdbStore(dataDir, meta, file as DurableJsonFile<Meta>, partitions, lock, log);
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
      let known = this.byFingerprint.get(lead.fingerprint);
      known;
      known = this.byFingerprint.get(lead.fingerprint)
    ) {
      const durable = await this.durable(known); // a sighting on its way to disk is waited for
      if (durable && this.byFingerprint.get(lead.fingerprint)?.id === durable.id)
        throw new ConflictError(`Lead ${durable.id} holds this payload already.`, durable);
    }
    const holder = this.byId.get(lead.id);
    if (holder) throw new ConflictError(`Lead id ${lead.id} is taken.`, holder);
    await this.store(lead);
    return lead;
  }

  async findByEmail(email: string): Promise<Lead[]> {
    const wanted = email.toLowerCase();
    const ids = this.byEmail.get(wanted) ?? [];
    return (typeof ids === 'string' ? [ids] : ids)
      .map((id) => this.byId.get(id))
      .filter((lead): lead is Lead => lead !== undefined && lead.customer.email.toLowerCase() === wanted);
  }

  /** Only what is on disk counts as known: a sighting still on its way waits for its append. */
  async findByFingerprint(fingerprint: string): Promise<Lead | undefined> {
    const lead = this.byFingerprint.get(fingerprint);
    if (!lead) return undefined;
    const durable = await this.durable(lead);
    return durable && this.byFingerprint.get(fingerprint)?.id === durable.id ? durable : undefined;
  }

  /** The lead as it is on disk: a change still on its way is waited for (and gone if refused). */
  async getLead(id: string): Promise<Lead | undefined> {
    const lead = this.byId.get(id);
    return lead ? this.durable(lead) : undefined;
  }

  async listLeads(): Promise<Lead[]> {
    return this.leads.all();
  }

  async listOpenLeads(): Promise<Lead[]> {
    return [...this.open.values()];
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
    const changed = this.unposted.withFailedDeliveries().flatMap((lead) => requeueFailed(lead, teamId) ?? []);
    await Promise.all(changed.map((lead) => this.store(lead)));
    return changed.length;
  }

  async pendingByChannel(limit: number): Promise<ChannelBacklog[]> {
    return this.unposted.pendingByChannel(limit);
  }

  async listOwedUpdates(): Promise<Lead[]> {
    return this.unposted.owedUpdates();
  }

  async listUndelivered(): Promise<Lead[]> {
    return this.unposted.withoutDelivery();
  }

  async listOwedAnnouncements(): Promise<Lead[]> {
    return this.unposted.owedAnnouncements();
  }

  async listOwedEvents(endpointKey: string, limit: number): Promise<Lead[]> {
    return this.events.owedTo(endpointKey, limit);
  }

  async updateEventCursor(leadId: string, endpointKey: string, patch: Partial<EventCursor>): Promise<Lead> {
    const endpoint = requireEndpoint(this.meta.eventEndpoints ?? [], endpointKey);
    return this.bookkeep(leadId, (lead) => patchEventCursor(lead, endpoint, patch));
  }

  async eventStats(): Promise<EventEndpointStats[]> {
    return this.events.stats();
  }

  async listEventEndpoints(): Promise<EventEndpoint[]> {
    return structuredClone(this.meta.eventEndpoints ?? []);
  }

  async putEventEndpoint(endpoint: EventEndpoint): Promise<void> {
    const copy = structuredClone(endpoint);
    await this.changeMeta((meta) => ({
      ...meta,
      eventEndpoints: [...(meta.eventEndpoints ?? []).filter((e) => e.key !== copy.key), copy],
    }));
    this.eventEndpointsChanged();
  }

  async removeEventEndpoint(key: string): Promise<void> {
    await this.changeMeta((meta) => ({
      ...meta,
      eventEndpoints: (meta.eventEndpoints ?? []).filter((e) => e.key !== key),
    }));
    this.eventEndpointsChanged();
  }

  putInstallation(installation: Installation): Promise<void> {
    return this.changeMeta((meta) => ({
      ...meta,
      installations: [...meta.installations.filter((i) => i.teamId !== installation.teamId), installation],
    }));
  }

  async getInstallation(teamId: string): Promise<Installation | undefined> {
    return this.meta.installations.find((i) => i.teamId === teamId);
  }

  async listInstallations(): Promise<Installation[]> {
    return [...this.meta.installations];
  }

  removeInstallation(teamId: string): Promise<void> {
    return this.changeMeta((meta) => ({
      ...meta,
      installations: meta.installations.filter((i) => i.teamId !== teamId),
    }));
  }

  async listDigests(): Promise<DigestSubscription[]> {
    return [...this.meta.digests];
  }

  putDigest(digest: DigestSubscription): Promise<void> {
    return this.changeMeta((meta) => ({
      ...meta,
      digests: [...meta.digests.filter((d) => d.conversationId !== digest.conversationId), digest],
    }));
  }

  async removeDigest(conversationId: string): Promise<boolean> {
    const had = this.meta.digests.some((d) => d.conversationId === conversationId);
    await this.changeMeta((meta) => ({
      ...meta,
      digests: meta.digests.filter((d) => d.conversationId !== conversationId),
    }));
    return had;
  }

  async getRouting(): Promise<Routing> {
    return structuredClone(this.meta.routing);
  }

  setRouting(routing: Routing): Promise<void> {
    const copy = structuredClone(routing);
    return this.changeMeta((meta) => ({ ...meta, routing: copy }));
  }

  acquireLease(name: string, holder: string, ttlMs: number, now?: Date): Promise<boolean> {
    return this.leases.acquireLease(name, holder, ttlMs, now);
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return this.leases.releaseLease(name, holder);
  }

  async getCheckpoint(name: string): Promise<string | undefined> {
    return this.meta.checkpoints?.[name];
  }

  /** In the settings file, so it is as durable as routing (resolves once on disk). */
  setCheckpoint(name: string, value: string): Promise<void> {
    return this.changeMeta((meta) => ({ ...meta, checkpoints: { ...meta.checkpoints, [name]: value } }));
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
      leads: this.byId.size,
      ...this.unposted.counts(),
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
    await this.metaWrites.idle();
    await this.leads.idle();
  }

  async close(): Promise<void> {
    this.journal?.close();
    this.journal = undefined;
    await this.metaWrites.idle();
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
  private eventEndpointsChanged(): void {
    const endpoints = this.meta.eventEndpoints ?? [];
    if (this.events.differs(endpoints)) this.events.setEndpoints(endpoints, this.byId.values());
    else this.events.replaceEndpoints(endpoints);
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
    const lead = this.byId.get(id);
    if (!lead) throw new NotFoundError(`No lead ${id}.`);
    return lead;
  }

  /**
   * Memory first (synchronously, so concurrent callers see it), then the lead's month file. If
   * the disk refuses it, the partitions take the change back (`reindex`) and this rejects.
   */
  private store(lead: Lead): Promise<void> {
    if (!this.lock.held) return Promise.reject(lockLost(this.dataDir));
    this.index(lead);
    return this.track(this.leads.put(lead));
  }

  /** Waits for a lead's change in flight, if any; the lead as it is durably (undefined: taken back). */
  private async durable(lead: Lead): Promise<Lead | undefined> {
    await this.leads.durable(lead).catch(() => undefined);
    return this.byId.get(lead.id);
  }

  /** A change the disk refused: `lead` leaves the indexes, `durable` (what the disk holds) comes back. */
  private reindex(lead: Lead, durable: Lead | undefined): void {
    this.unposted.forget(lead.id);
    this.events.forget(lead.id);
    this.open.delete(lead.id);
    if (this.byId.get(lead.id) === lead) this.byId.delete(lead.id);
    for (const fingerprint of [lead.fingerprint, ...(lead.repeats ?? []).map((r) => r.fingerprint)])
      if (this.byFingerprint.get(fingerprint)?.id === lead.id) this.byFingerprint.delete(fingerprint);
    if (durable) this.index(durable);
  }

  /** A month about to get its first lead: listed before anything in it is acknowledged. */
  private listMonth(key: string): Promise<void> {
    if (this.meta.months?.includes(key)) return Promise.resolve();
    return this.changeMeta((meta) => ({
      ...meta,
      months: [...new Set([...(meta.months ?? []), key])].sort(),
    }));
  }

  private changeMeta(change: (meta: Meta) => Meta): Promise<void> {
    if (!this.lock.held) return Promise.reject(lockLost(this.dataDir));
    this.metaChanges.push(change);
    return this.track(this.metaWrites.persist());
  }

  /** One write for every change queued; `meta` takes them only once they are on disk. */
  private async writeMeta(): Promise<void> {
    const changes = this.metaChanges.splice(0);
    if (changes.length === 0) return;
    const next = changes.reduce((meta, change) => change(meta), this.meta);
    await this.metaFile.write(next);
    this.meta = next;
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

  private index(lead: Lead): void {
    const arrivedLast = !this.byId.has(lead.id);
    this.byId.set(lead.id, lead);
    this.unposted.track(lead, arrivedLast);
    this.events.track(lead);
    if (isOpen(lead)) this.open.set(lead.id, lead);
    else this.open.delete(lead.id);
    this.byFingerprint.set(lead.fingerprint, lead);
    for (const repeat of lead.repeats ?? []) this.byFingerprint.set(repeat.fingerprint, lead);
    const email = lead.customer.email.toLowerCase();
    if (email) {
      const ids = this.byEmail.get(email);
      if (ids === undefined) this.byEmail.set(email, lead.id);
      else if (typeof ids === 'string') {
        if (ids !== lead.id) this.byEmail.set(email, [ids, lead.id]);
      } else if (!ids.includes(lead.id)) ids.push(lead.id);
    }
  }
}

function lockLost(dataDir: string): StorageUnavailableError {
  return new StorageUnavailableError(
    `This process no longer holds the lock on ${dataDir} (the lock file was deleted or taken), so it ` +
      'writes nothing more. Stop it, check that no other Lead Assistant uses that folder, and start it again.',
  );
}

/** Writes, syncs and removes a small file: can the data folder take writes again? */
async function probeWrite(dir: string): Promise<void> {
  const path = join(dir, `.healthz-probe${TEMP_SUFFIX}`);
  try {
    const file = await open(path, 'w', PRIVATE_FILE_MODE);
    try {
      await file.writeFile(Buffer.alloc(4096));
      await file.sync();
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new StorageUnavailableError(`Could not write to ${dir}: ${describeError(error)}`);
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

function emptyMeta(): Meta {
  return { schema: 2, installations: [], routing: { byStorefront: {} }, digests: [] };
}
