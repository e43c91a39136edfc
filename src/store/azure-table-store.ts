// The store contract on Azure Table storage (or Azurite, or Cosmos DB for Table): many instances
// on one store, every change conditional (ETag) so none silently overwrites another.
//
// Layout (`<prefix>leads`, `<prefix>index`, `<prefix>settings`, `<prefix>sends`):
// - A lead is one entity in `leads`, partition = month received (`YYYY-MM`), row = its id. A
//   summary reads the months it covers, one partition query each; a partition takes ~2,000
//   writes/s, far above any publisher's leads, and months spread the history.
// - Beside each lead, in its partition, the index rows that say what it waits for (still open, a
//   card pending per channel, an update, an announcement, a channel, failed cards; see
//   azure/lead-hints.ts).
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
import type { TableServiceClientOptions } from '@azure/data-tables';
import type { AutoAssign, Away } from '../leads/auto-assign-data.js';
import {
  patchDelivery,
  patchOwnerNotice,
  patchReminders,
  patchRepeat,
  withDeliveries,
} from '../leads/bookkeeping.js';
import type { EventEndpoint } from '../leads/event-cursor.js';
import type { Delivery, EventCursor, Lead, OwnerNotice, RepeatSighting } from '../leads/lead.js';
import { zonedMidnight } from '../leads/period.js';
import { shiftDay } from '../leads/report-series.js';
import { dayInZone, safeDay } from '../leads/rollup-book.js';
import { type RollupCell, rollupOf } from '../leads/rollups.js';
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
import { EventRows } from './azure/event-rows.js';
import { KeyClaims } from './azure/key-claims.js';
import { tableNames } from './azure/keys.js';
import { LeadCounter } from './azure/lead-counter.js';
import { LeadQueries } from './azure/lead-queries.js';
import { LeadRows } from './azure/lead-rows.js';
import { LeadWriter } from './azure/lead-writer.js';
import { RollupRows } from './azure/rollup-rows.js';
import { SettingsRows } from './azure/settings-rows.js';
import { Table } from './azure/table.js';
import { DEFAULT_RETRY, type RetryPolicy, TableCalls } from './azure/table-calls.js';
import { createTableClient, type TableAccount } from './azure/table-client.js';

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
  /** TIME_ZONE: summary rollup rows are kept in its days (without it, summaries read the leads). */
  timeZone?: string;
}

/** How often the lead count is checked against the leads stored (a keys-only scan). */
const RECOUNT_MS = 3_600_000;

/** Health: Azure answered this recently, so no probe is needed to say ok. */
const RECENT_MS = 5_000;

export class AzureTableStore implements LeadStore {
  private readonly claims: KeyClaims;
  private readonly counter: LeadCounter;
  private readonly writer: LeadWriter;
  private readonly queries: LeadQueries;
  private readonly events: EventRows;
  private recounting: NodeJS.Timeout[] = [];

  private constructor(
    private readonly calls: TableCalls,
    private readonly tables: Record<'leads' | 'index' | 'settings' | 'sends', Table>,
    private readonly rows: LeadRows,
    private readonly settings: SettingsRows,
    log: Logger,
    private readonly rollups?: RollupRows,
  ) {
    this.claims = new KeyClaims(tables.index, rows);
    this.counter = new LeadCounter(tables.index, randomUUID(), log);
    this.writer = new LeadWriter(tables, rows, this.claims, this.counter, log, rollups);
    this.queries = new LeadQueries(tables, rows);
    this.events = new EventRows(rows, this.writer, settings, this.queries);
  }

  static async open(options: AzureTableStoreOptions): Promise<AzureTableStore> {
    const names = tableNames(options.prefix ?? 'leadassistant');
    const calls = new TableCalls(options.retry ?? DEFAULT_RETRY);
    // Retries are ours (TableCalls), bounded in time; the SDK's own would multiply them.
    const clientOptions = { ...options.clientOptions, retryOptions: { maxRetries: 0 } };
    const account: TableAccount | undefined = options.connectionString
      ? { connectionString: options.connectionString }
      : options.accountUrl && options.credential
        ? { accountUrl: options.accountUrl, credential: options.credential }
        : undefined;
    if (!account)
      throw new Error('AzureTableStore needs a connectionString, or an accountUrl and a credential.');
    const client = (name: string) => createTableClient(account, name, clientOptions);
    const log = options.log ?? silentLogger;
    const recreated = (name: string) =>
      log.error(`table ${name} was gone (deleted, or the emulator restarted empty); made it again`);
    const table = async (name: string) => new Table(await client(name), calls, recreated);
    const [leads, index, settings, sends] = await Promise.all(
      [names.leads, names.index, names.settings, names.sends].map(table),
    );
    const tables = { leads, index, settings, sends } as Record<
      'leads' | 'index' | 'settings' | 'sends',
      Table
    >;
    await Promise.all(Object.values(tables).map((t) => t.create()));
    const rows = new LeadRows(tables.leads, tables.index);
    const store = new AzureTableStore(
      calls,
      tables,
      rows,
      new SettingsRows(tables.settings, tables.sends),
      log,
      options.timeZone ? new RollupRows(tables.index, options.timeZone, log) : undefined,
    );
    if (store.rollups && !(await store.rollups.current())) {
      log.warn(
        'building the summary rollups from the leads (first start of this version, or a change not counted)',
      );
      await store.rollups.rebuild(await store.listLeads());
    }
    const recount = () =>
      store
        .recount()
        .catch((error) => log.warn('could not recount the leads', { error: describeError(error) }));
    // Soon after start (a crash before it may have left the figure low), then hourly.
    store.recounting = [setTimeout(recount, 10_000).unref(), setInterval(recount, RECOUNT_MS).unref()];
    return store;
  }

  // --- Leads (writes in azure/lead-writer.ts, lists in azure/lead-queries.ts) -----------------

  createLead(lead: Lead): Promise<Lead> {
    return this.writer.createLead(lead);
  }

  async getLead(id: string): Promise<Lead | undefined> {
    return (await this.rows.read(id))?.lead;
  }

  saveLead(lead: Lead, expectedVersion: number): Promise<Lead> {
    return this.writer.saveLead(lead, expectedVersion);
  }

  async findByEmail(email: string): Promise<Lead[]> {
    return email ? this.rows.byEmail(email) : [];
  }

  findByFingerprint(fingerprint: string): Promise<Lead | undefined> {
    return this.claims.holderOf(fingerprint);
  }

  listLeads(): Promise<Lead[]> {
    return this.queries.listLeads();
  }

  listOpenLeads(): Promise<Lead[]> {
    return this.queries.listOpenLeads();
  }

  listClosedLeads(): Promise<Lead[]> {
    return this.queries.listClosedLeads();
  }

  searchLeads(text: string): Promise<Lead[]> {
    return this.queries.searchLeads(text);
  }

  listLeadsReceived(from: Date, to: Date): Promise<Lead[]> {
    return this.queries.listLeadsReceived(from, to);
  }

  /** The rows kept in TIME_ZONE's days; in another zone, rolled up from the leads of those days. */
  async rollupCells(fromDay: string, toDay: string, timeZone: string): Promise<RollupCell[]> {
    if (this.rollups?.timeZone === timeZone) return this.rollups.between(fromDay, toDay);
    const start = (day: string) => zonedMidnight(day, timeZone) ?? new Date(0);
    const leads = await this.listLeadsReceived(start(fromDay), start(shiftDay(toDay, 1)));
    return [...rollupOf(leads, safeDay(dayInZone(timeZone))).values()];
  }

  updateReminders(leadId: string, patch: NonNullable<Lead['reminders']>): Promise<Lead> {
    return this.writer.bookkeep(leadId, (lead) => patchReminders(lead, patch));
  }

  // --- Deliveries --------------------------------------------------------------------------

  updateDelivery(
    leadId: string,
    conversationId: string,
    patch: Partial<Delivery>,
    ifVersion?: number,
  ): Promise<Lead> {
    return this.writer.bookkeep(leadId, (lead) => patchDelivery(lead, conversationId, patch, ifVersion));
  }

  updateOwnerNotice(leadId: string, forVersion: number, patch: Partial<OwnerNotice>): Promise<Lead> {
    return this.writer.bookkeep(leadId, (lead) => patchOwnerNotice(lead, forVersion, patch));
  }

  addDeliveries(leadId: string, deliveries: Delivery[]): Promise<Lead> {
    return this.writer.bookkeep(leadId, (lead) => withDeliveries(lead, deliveries));
  }

  updateRepeat(leadId: string, index: number, patch: Partial<RepeatSighting>): Promise<Lead> {
    return this.writer.bookkeep(leadId, (lead) => patchRepeat(lead, index, patch));
  }

  retryFailedDeliveries(teamId: string): Promise<number> {
    return this.writer.retryFailed(teamId);
  }

  pendingByChannel(limit: number): Promise<ChannelBacklog[]> {
    return this.queries.pendingByChannel(limit);
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

  // --- Lead events (azure/event-rows.ts) ----------------------------------------------------

  listOwedEvents(endpointKey: string, limit: number): Promise<Lead[]> {
    return this.events.listOwedEvents(endpointKey, limit);
  }
  updateEventCursor(leadId: string, endpointKey: string, patch: Partial<EventCursor>): Promise<Lead> {
    return this.events.updateEventCursor(leadId, endpointKey, patch);
  }
  eventStats(): Promise<EventEndpointStats[]> {
    return this.events.eventStats();
  }
  listEventEndpoints(): Promise<EventEndpoint[]> {
    return this.settings.listEventEndpoints();
  }
  putEventEndpoint(endpoint: EventEndpoint): Promise<void> {
    return this.events.putEventEndpoint(endpoint);
  }
  removeEventEndpoint(key: string): Promise<void> {
    return this.events.removeEventEndpoint(key);
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
  getAutoAssign(teamId: string): Promise<AutoAssign | undefined> {
    return this.settings.getAutoAssign(teamId);
  }
  updateAutoAssign(
    teamId: string,
    change: (current: AutoAssign | undefined) => AutoAssign | undefined,
  ): Promise<AutoAssign | undefined> {
    return this.settings.updateAutoAssign(teamId, change);
  }
  listAway(): Promise<Away[]> {
    return this.settings.listAway();
  }
  putAway(away: Away): Promise<void> {
    return this.settings.putAway(away);
  }
  removeAway(aadObjectId: string): Promise<boolean> {
    return this.settings.removeAway(aadObjectId);
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
    const [leads, deliveries, installations] = await Promise.all([
      this.counter.total(),
      this.queries.deliveryCounts(),
      this.settings.countInstallations(),
    ]);
    return { leads, ...deliveries, installations };
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

  /**
   * Counts the leads stored (a keys-only read of every month) and puts the figure stats() shows
   * right, after a crash left it low. Run at start and hourly; resolves with the count.
   */
  async recount(): Promise<number> {
    await this.counter.settled();
    const exact = await this.queries.countLeads();
    await this.counter.recount(exact);
    return exact;
  }

  async close(): Promise<void> {
    for (const timer of this.recounting) clearTimeout(timer);
    await this.counter.settled();
  }
}
