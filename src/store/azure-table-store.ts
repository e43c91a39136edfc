// The store contract on Azure Table storage (or Azurite, or Cosmos DB for Table): many instances
// on one store, every change conditional (ETag) so none silently overwrites another.
//
// Layout (`<prefix>leads`, `<prefix>index`, `<prefix>settings`, `<prefix>sends`):
// - A lead is one entity in `leads`, partition = month received (`YYYY-MM`), row = its id. A
//   summary reads the months it covers, one partition query each; a partition takes ~2,000
//   writes/s, far above any publisher's leads, and months spread the history.
// - Beside each lead, in its partition, the index rows that say what is owed on it (a card
//   pending per channel, an update, an announcement, no channel, failed cards; azure/lead-hints.ts).
//   A lead and those rows change in one entity-group transaction, conditional on the lead's
//   ETag: one request, and the index can never disagree with the lead, even after a crash.
// - `index` holds what must be global: `id:<id>` (→ month) and `fp:<hash>` (→ lead) are the
//   uniqueness guards, inserted before the lead (an insert of a taken key answers 409, so of two
//   instances creating one payload exactly one wins; see azure/key-claims.ts); `email:<address>`
//   hints, checked against the lead on every read; `months`, the list of month partitions;
//   `count`, one row per store instance with the leads it created (azure/lead-counter.ts).
// Nothing about a lead is cached between calls (only id → month, which never changes), so a read
// sees every write another instance acknowledged.
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import {
  odata,
  TableClient,
  type TableServiceClientOptions,
  type TransactionAction,
} from '@azure/data-tables';
import { ConflictError, NotFoundError, StorageUnavailableError, ValidationError } from '../errors.js';
import {
  patchDelivery,
  patchReminders,
  patchRepeat,
  requeueFailed,
  withDeliveries,
} from '../leads/bookkeeping.js';
import type { Delivery, Lead, RepeatSighting } from '../leads/lead.js';
import { receivedIn } from '../leads/period.js';
import { findLeads } from '../leads/queries.js';
import type {
  ChannelBacklog,
  DigestSubscription,
  Installation,
  LeadStore,
  Routing,
  StoreHealth,
  StoreStats,
} from '../leads/store.js';
import { type Logger, silentLogger } from '../log.js';
import { fromAsciiText } from './azure/columns.js';
import { KeyClaims } from './azure/key-claims.js';
import { monthOf, monthsBetween, tableNames } from './azure/keys.js';
import { LeadCounter } from './azure/lead-counter.js';
import { SEARCH_COLUMNS, toRow } from './azure/lead-entity.js';
import { diffHints, emailHint, hintsOf } from './azure/lead-hints.js';
import { byArrival, LeadRows, type StoredLead } from './azure/lead-rows.js';
import { SettingsRows } from './azure/settings-rows.js';
import { Table, writerToken } from './azure/table.js';
import { DEFAULT_RETRY, isStatus, type RetryPolicy, TableCalls } from './azure/table-calls.js';

export interface AzureTableStoreOptions {
  /** An account key connection string, or Azurite's `UseDevelopmentStorage=true`. */
  connectionString?: string;
  /** `https://<account>.table.core.windows.net`, with `credential` (managed identity). */
  accountUrl?: string;
  credential?: TokenCredential;
  /** Starts every table name, so deployments can share an account (letters and digits). */
  prefix?: string;
  log?: Logger;
  /** Passed to the Azure clients (`allowInsecureConnection` for Azurite over http). */
  clientOptions?: TableServiceClientOptions;
  retry?: RetryPolicy;
}

type Send = { thread: string; tenant: string; at: number };

/** Tries of one read-modify-write against concurrent writers before giving up. */
const MAX_CONFLICT_TRIES = 50;
/** Health: Azure answered this recently, so no probe is needed to say ok. */
const RECENT_MS = 5_000;

export class AzureTableStore implements LeadStore {
  private readonly claims: KeyClaims;
  private readonly counter: LeadCounter;

  private constructor(
    private readonly calls: TableCalls,
    private readonly tables: Record<'leads' | 'index' | 'settings' | 'sends', Table>,
    private readonly rows: LeadRows,
    private readonly settings: SettingsRows,
    private readonly log: Logger,
  ) {
    this.claims = new KeyClaims(tables.index, rows);
    this.counter = new LeadCounter(tables.index, randomUUID(), log);
  }

  static async open(options: AzureTableStoreOptions): Promise<AzureTableStore> {
    const names = tableNames(options.prefix ?? 'leadassistant');
    const calls = new TableCalls(options.retry ?? DEFAULT_RETRY);
    // Retries are ours (TableCalls), bounded in time; the SDK's own would multiply them.
    const clientOptions = { ...options.clientOptions, retryOptions: { maxRetries: 0 } };
    const client = (name: string) => {
      if (options.connectionString)
        return TableClient.fromConnectionString(options.connectionString, name, clientOptions);
      if (options.accountUrl && options.credential)
        return new TableClient(options.accountUrl, name, options.credential, clientOptions);
      throw new Error('AzureTableStore needs a connectionString, or an accountUrl and a credential.');
    };
    const log = options.log ?? silentLogger;
    const recreated = (name: string) =>
      log.error(`table ${name} was gone (deleted, or the emulator restarted empty); made it again`);
    const table = (name: string) => new Table(client(name), calls, recreated);
    const tables = {
      leads: table(names.leads),
      index: table(names.index),
      settings: table(names.settings),
      sends: table(names.sends),
    };
    await Promise.all(Object.values(tables).map((t) => t.create()));
    const rows = new LeadRows(tables.leads, tables.index);
    return new AzureTableStore(calls, tables, rows, new SettingsRows(tables.settings, tables.sends), log);
  }

  // --- Leads -------------------------------------------------------------------------------

  /**
   * Guards and the e-mail hint first (at once; a taken guard answers 409), then the lead with its
   * index rows in one transaction: two round trips, four requests (and the counter, in the back).
   */
  async createLead(lead: Lead): Promise<Lead> {
    const row = toRow(lead, writerToken()); // too large: refused before anything is written
    const month = monthOf(lead.receivedAt);
    const email = emailHint(lead);
    const [claims] = await Promise.all([
      this.claims.claim(lead, month),
      email && this.tables.index.upsert(email),
      this.rows.noteMonth(month),
    ]);
    try {
      const actions: TransactionAction[] = [
        ['create', row],
        ...hintsOf(lead).map((h): TransactionAction => ['create', h]),
      ];
      if ((await this.tables.leads.transact(actions, row)) === undefined) {
        const holder = await this.rows.readAt(lead.id, month);
        throw new ConflictError(`Lead id ${lead.id} is taken.`, holder?.lead);
      }
    } catch (error) {
      const stored = await this.claims.abandon(lead, month, claims);
      if (!stored) throw error;
    }
    this.rows.remember(lead);
    void this.counter.add(1); // a figure, not the lead: not waited for (stats() waits for it)
    return lead;
  }

  async getLead(id: string): Promise<Lead | undefined> {
    return (await this.rows.read(id))?.lead;
  }

  /**
   * Conditional on the version read and on the entity's ETag. The lead's bookkeeping (deliveries,
   * reminders, announcements) is taken from the stored lead, not the caller's copy: the caller
   * read it before, and a card posted meanwhile must not be forgotten (posted twice).
   */
  async saveLead(lead: Lead, expectedVersion: number): Promise<Lead> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.require(lead.id);
      if (current.lead.version !== expectedVersion)
        throw new ConflictError(`Lead ${lead.id} changed (version ${current.lead.version}).`, current.lead);
      const saved = { ...keepBookkeeping(lead, current.lead), version: expectedVersion + 1 };
      if (await this.write(current, saved)) return saved;
      if (attempt >= MAX_CONFLICT_TRIES) throw tooBusy(lead.id);
    }
  }

  async findByEmail(email: string): Promise<Lead[]> {
    return email ? this.rows.byEmail(email) : [];
  }

  findByFingerprint(fingerprint: string): Promise<Lead | undefined> {
    return this.claims.holderOf(fingerprint);
  }

  /** Every lead: a scan of the whole table (index rows left out), for exports and migrations. */
  listLeads(): Promise<Lead[]> {
    return this.leadsWhere('');
  }

  /**
   * Filtered by Azure on the `open` column, month by month: open leads are many (every new one),
   * so an index row each would cost more to read than the partitions' server-side filter.
   */
  async listOpenLeads(): Promise<Lead[]> {
    const months = await this.rows.months();
    const pages = await Promise.all(
      months.map((m) => this.tables.leads.query(odata`PartitionKey eq ${m} and open eq true`)),
    );
    return pages
      .flat()
      .map((row) => this.rows.parse(row).lead)
      .sort(byArrival);
  }

  /** Retention's daily read: a scan filtered by Azure on the `closed` column. */
  listClosedLeads(): Promise<Lead[]> {
    return this.leadsWhere('closed eq true');
  }

  /** Reads only the small `q` column of each lead, then the leads that match. */
  async searchLeads(text: string): Promise<Lead[]> {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    const rows = await this.tables.leads.query('test eq false', SEARCH_COLUMNS);
    const hits = rows.filter((r) => {
      const haystack = fromAsciiText(r.q);
      return words.every((w) => haystack.includes(w));
    });
    const leads = await this.rows.readMany(hits.map((r) => ({ id: String(r.id), m: r.partitionKey })));
    return findLeads(
      [...leads.values()].map((s) => s.lead),
      text,
    );
  }

  /**
   * One query per month covered (in parallel). A month the period covers whole is read without a
   * filter (cheaper to serve); a month it cuts is filtered by Azure on the received time.
   */
  async listLeadsReceived(from: Date, to: Date): Promise<Lead[]> {
    const inPeriod = receivedIn(from, to);
    const [fromText, toText] = [from.toISOString(), to.toISOString()];
    const pages = await Promise.all(
      monthsBetween(from, to).map((month) => {
        const whole = fromText <= `${month}-01T00:00:00.000Z` && toText >= nextMonthStart(month);
        return this.tables.leads.query(
          whole
            ? odata`PartitionKey eq ${month}`
            : odata`PartitionKey eq ${month} and at ge ${fromText} and at lt ${toText}`,
        );
      }),
    );
    return pages
      .flat()
      .filter(isLeadRow)
      .map((row) => this.rows.parse(row).lead)
      .filter(inPeriod)
      .sort(byArrival);
  }

  updateReminders(leadId: string, patch: NonNullable<Lead['reminders']>): Promise<Lead> {
    return this.bookkeep(leadId, (lead) => patchReminders(lead, patch));
  }

  // --- Deliveries --------------------------------------------------------------------------

  updateDelivery(leadId: string, conversationId: string, patch: Partial<Delivery>): Promise<Lead> {
    return this.bookkeep(leadId, (lead) => patchDelivery(lead, conversationId, patch));
  }

  addDeliveries(leadId: string, deliveries: Delivery[]): Promise<Lead> {
    return this.bookkeep(leadId, (lead) => withDeliveries(lead, deliveries));
  }

  updateRepeat(leadId: string, index: number, patch: Partial<RepeatSighting>): Promise<Lead> {
    return this.bookkeep(leadId, (lead) => patchRepeat(lead, index, patch));
  }

  async retryFailedDeliveries(teamId: string): Promise<number> {
    const leads = (await this.rows.hinted('fail')).filter((lead) => requeueFailed(lead, teamId));
    let changed = 0;
    for (const lead of leads) {
      let requeued = false;
      await this.bookkeep(lead.id, (current) => {
        const next = requeueFailed(current, teamId);
        requeued = next !== undefined;
        return next ?? current;
      });
      if (requeued) changed++;
    }
    return changed;
  }

  /**
   * The pending index rows of every month (one small query each; they sort by channel, then
   * arrival), counted per channel, then each channel's `limit` oldest leads.
   */
  async pendingByChannel(limit: number): Promise<ChannelBacklog[]> {
    const byChannel = new Map<string, Array<{ id: string; m: string }>>();
    for (const hint of await this.rows.hints('pend', ['RowKey', 'id', 'c'])) {
      const channel = String(hint.c);
      const queue = byChannel.get(channel) ?? [];
      queue.push({ id: String(hint.id), m: hint.m });
      byChannel.set(channel, queue);
    }
    const leads = await this.rows.readMany([...byChannel.values()].flatMap((queue) => queue.slice(0, limit)));
    return [...byChannel].map(([conversationId, queue]) => ({
      conversationId,
      pending: queue.length,
      leads: queue
        .slice(0, limit)
        .flatMap((p) => leads.get(p.id)?.lead ?? [])
        .filter((lead) =>
          lead.deliveries.some((d) => d.conversationId === conversationId && d.state === 'pending'),
        ),
    }));
  }

  listOwedUpdates(): Promise<Lead[]> {
    return this.rows.hinted('owed');
  }

  listOwedAnnouncements(): Promise<Lead[]> {
    return this.rows.hinted('ann');
  }

  listUndelivered(): Promise<Lead[]> {
    return this.rows.hinted('und');
  }

  // --- Installations, settings, coordination (azure/settings-rows.ts) ----------------------

  putInstallation(installation: Installation): Promise<void> {
    return this.settings.putInstallation(installation);
  }
  getInstallation(teamId: string): Promise<Installation | undefined> {
    return this.settings.getInstallation(teamId);
  }
  listInstallations(): Promise<Installation[]> {
    return this.settings.listInstallations();
  }
  removeInstallation(teamId: string): Promise<void> {
    return this.settings.removeInstallation(teamId);
  }
  getRouting(): Promise<Routing> {
    return this.settings.getRouting();
  }
  setRouting(routing: Routing): Promise<void> {
    return this.settings.setRouting(routing);
  }
  listDigests(): Promise<DigestSubscription[]> {
    return this.settings.listDigests();
  }
  putDigest(digest: DigestSubscription): Promise<void> {
    return this.settings.putDigest(digest);
  }
  removeDigest(conversationId: string): Promise<boolean> {
    return this.settings.removeDigest(conversationId);
  }
  acquireLease(name: string, holder: string, ttlMs: number, now?: Date): Promise<boolean> {
    return this.settings.acquireLease(name, holder, ttlMs, now);
  }
  releaseLease(name: string, holder: string): Promise<void> {
    return this.settings.releaseLease(name, holder);
  }
  getCheckpoint(name: string): Promise<string | undefined> {
    return this.settings.getCheckpoint(name);
  }
  setCheckpoint(name: string, value: string): Promise<void> {
    return this.settings.setCheckpoint(name, value);
  }
  recordSend(send: Send): Promise<void> {
    return this.settings.recordSend(send);
  }
  recentSends(since: number): Promise<Send[]> {
    return this.settings.recentSends(since);
  }

  // --- Figures, health ---------------------------------------------------------------------

  /**
   * From small reads only: the per-instance lead counters, the pending and failed index rows
   * (keys and figures only, one query a month), the installations.
   */
  async stats(): Promise<StoreStats> {
    await this.counter.settled(); // this instance's leads are in its count
    const [leads, pending, failed, installations] = await Promise.all([
      this.counter.total(),
      this.rows.hints('pend', ['RowKey']),
      this.rows.hints('fail', ['RowKey', 'n']),
      this.settings.countInstallations(),
    ]);
    return {
      leads,
      pendingDeliveries: pending.length,
      failedDeliveries: failed.reduce((sum, row) => sum + Number(row.n ?? 0), 0),
      installations,
    };
  }

  /** Degraded from the first call Azure failed (after retries) until the next it answers. */
  async health(): Promise<StoreHealth> {
    if (this.calls.degraded || this.calls.quietForMs > RECENT_MS) {
      await this.calls
        .run((abortSignal) => this.tables.settings.client.getEntity('routing', 'routing', { abortSignal }), {
          tries: 1,
        })
        .catch(() => undefined); // a 404 is an answer; the outcome is in `degraded`
    }
    const failure = this.calls.degraded;
    return failure ? { status: 'degraded', ...failure } : { status: 'ok' };
  }

  async close(): Promise<void> {
    await this.counter.settled();
  }

  // --- Writing ------------------------------------------------------------------------------

  /** A bookkeeping change, applied to the lead as stored and written at its ETag; again on 412. */
  private async bookkeep(leadId: string, change: (lead: Lead) => Lead): Promise<Lead> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.require(leadId);
      const next = change(current.lead);
      if (next === current.lead) return next;
      if (await this.write(current, next)) return next;
      if (attempt >= MAX_CONFLICT_TRIES) throw tooBusy(leadId);
      if (attempt > 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }

  /**
   * Writes `next` over `current` if it is still at its ETag (false when another write came
   * first): the lead and its index rows in one transaction. What lives elsewhere (the e-mail
   * hint, guards of new repeat sightings) is added before, and an old e-mail hint removed after.
   */
  private async write(current: StoredLead, next: Lead): Promise<boolean> {
    if (monthOf(next.receivedAt) !== monthOf(current.lead.receivedAt))
      throw new ValidationError(`Lead ${next.id}: the time it was received cannot change.`);
    const row = toRow(next, writerToken());
    const { put, remove } = diffHints(current.lead, next);
    const [before, after] = [emailHint(current.lead), emailHint(next)];
    const emailMoved = before?.partitionKey !== after?.partitionKey;
    await Promise.all([
      emailMoved && after && this.tables.index.upsert(after),
      this.claims.addRepeats(current.lead, next),
    ]);
    const change: TransactionAction[] = [
      ['update', row, 'Replace', { etag: current.etag }],
      ...put.map((h): TransactionAction => ['upsert', h, 'Replace']),
    ];
    const deletes = remove.map((h): TransactionAction => ['delete', h]);
    try {
      if ((await this.tables.leads.transact([...change, ...deletes], row)) === undefined) return false;
    } catch (error) {
      // An index row that is not there (written by a version that kept other rows): the change
      // without the deletes, then each delete on its own. Readers check rows against the lead.
      if (!isStatus(error, 404) || deletes.length === 0) throw error;
      this.log.warn('a lead had other index rows than expected; writing it without them', { lead: next.id });
      if ((await this.tables.leads.transact(change, row)) === undefined) return false;
      await Promise.all(
        remove.map((h) => this.tables.leads.remove(h.partitionKey, h.rowKey).catch(() => false)),
      );
    }
    if (emailMoved && before)
      await this.tables.index.remove(before.partitionKey, before.rowKey).catch(() => false);
    return true;
  }

  private async require(id: string): Promise<StoredLead> {
    const stored = await this.rows.read(id);
    if (!stored) throw new NotFoundError(`No lead ${id}.`);
    return stored;
  }

  private async leadsWhere(filter: string): Promise<Lead[]> {
    const rows = await this.tables.leads.query(filter);
    return rows
      .filter(isLeadRow)
      .map((row) => this.rows.parse(row).lead)
      .sort(byArrival);
  }
}

/** Lead rows carry their JSON; the index rows beside them in the partition do not. */
function isLeadRow(row: Record<string, unknown>): boolean {
  return row.dn !== undefined;
}

/** `2026-11` → `2026-12-01T00:00:00.000Z`. */
function nextMonthStart(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 1)).toISOString();
}

function tooBusy(leadId: string): StorageUnavailableError {
  return new StorageUnavailableError(`Lead ${leadId} is being changed by many writers at once; try again.`);
}

/** The caller's lead, with the bookkeeping as stored now (see saveLead). */
export function keepBookkeeping(lead: Lead, stored: Lead): Lead {
  const { reminders: _reminders, ...rest } = lead;
  return {
    ...rest,
    ...(stored.reminders ? { reminders: stored.reminders } : {}),
    deliveries: stored.deliveries,
    ...(lead.repeats
      ? {
          repeats: lead.repeats.map((r, i) => {
            const s = stored.repeats?.[i];
            if (!s) return r;
            const { announce: _a, announcedIn: _b, nextAttemptAt: _c, attempts: _d, ...own } = r;
            return {
              ...own,
              ...(s.announce !== undefined ? { announce: s.announce } : {}),
              ...(s.announcedIn !== undefined ? { announcedIn: s.announcedIn } : {}),
              ...(s.nextAttemptAt !== undefined ? { nextAttemptAt: s.nextAttemptAt } : {}),
              ...(s.attempts !== undefined ? { attempts: s.attempts } : {}),
            };
          }),
        }
      : {}),
  };
}
