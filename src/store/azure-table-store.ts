// The store contract on Azure Table storage (or Azurite, or Cosmos DB for Table): many instances
// on one store, every change conditional (ETag) so none silently overwrites another.
//
// Layout (`<prefix>leads`, `<prefix>index`, `<prefix>settings`, `<prefix>sends`):
// - A lead is one entity in `leads`, partition = month received (`YYYY-MM`), row = its id. A
//   summary reads the months it covers, one partition query each; a partition takes ~2,000
//   writes/s, far above any publisher's leads, and months spread the history.
// - `index` holds small rows, one partition per question: `id:<id>` (→ month) and `fp:<hash>`
//   (→ lead) are the uniqueness guards, inserted before the lead (an insert of a taken key answers
//   409, so of two instances creating one payload exactly one wins); `email:<address>`, `open`,
//   `pending:<channel>` (row = received time + id: arrival order), `channels`, `owed`,
//   `announce`, `undelivered`, `failed` are hints (see azure/lead-hints.ts): pointers that every
//   read checks against the lead's own row, the only truth. Entity-group transactions cannot
//   span these partitions, so order does the work instead: hints are added before the lead is
//   written and removed after, a crash leaves at most an extra hint, never a lost lead or card.
// - `count` in `index`: one row per store instance with the leads it created, so stats() sums a
//   handful of rows instead of counting leads (a crash between a lead and its count leaves the
//   figure one low; no lead depends on it).
// Nothing about a lead is cached between calls (only id → month, which never changes), so a read
// sees every write another instance acknowledged.
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import { odata, TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { ConflictError, NotFoundError, StorageUnavailableError } from '../errors.js';
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
import { monthOf, monthsBetween, tableNames, toKey } from './azure/keys.js';
import { LeadCounter } from './azure/lead-counter.js';
import { SEARCH_COLUMNS, toRow } from './azure/lead-entity.js';
import { diffHints, type Hint, P } from './azure/lead-hints.js';
import { byArrival, LeadRows, type StoredLead } from './azure/lead-rows.js';
import { SettingsRows } from './azure/settings-rows.js';
import { type Row, Table, writerToken } from './azure/table.js';
import { DEFAULT_RETRY, type RetryPolicy, TableCalls } from './azure/table-calls.js';

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
  /** Channels known to be in the `channels` partition: rows there are never removed. */
  private readonly knownChannels = new Set<string>();

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
    return new AzureTableStore(
      calls,
      tables,
      rows,
      new SettingsRows(tables.settings, tables.sends),
      options.log ?? silentLogger,
    );
  }

  // --- Leads -------------------------------------------------------------------------------

  /**
   * Guards first (fingerprint and id rows, inserted at once; a taken one answers 409), then the
   * hints and the lead itself, at once: three round trips in all, plus the counter.
   */
  async createLead(lead: Lead): Promise<Lead> {
    const row = toRow(lead, writerToken()); // too large: refused before anything is written
    const month = monthOf(lead.receivedAt);
    const claims = await this.claims.claim(lead, month);
    try {
      await Promise.all([
        ...diffHints(undefined, lead).add.map((h) => this.tables.index.upsert(hintRow(h))),
        this.registerChannels(lead),
      ]);
      if ((await this.tables.leads.insert(row)) === undefined) {
        const holder = await this.rows.readAt(lead.id, month);
        throw new ConflictError(`Lead id ${lead.id} is taken.`, holder?.lead);
      }
    } catch (error) {
      const stored = await this.claims.abandon(lead, month, claims);
      if (!stored) throw error;
    }
    this.rows.remember(lead);
    await this.counter.add(1);
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
    const wanted = email.toLowerCase();
    if (!wanted) return [];
    const leads = await this.rows.hinted(P.email(wanted));
    return leads.filter((l) => l.customer.email.toLowerCase() === wanted).sort(byArrival);
  }

  async findByFingerprint(fingerprint: string): Promise<Lead | undefined> {
    return this.claims.holderOf(fingerprint);
  }

  /** Every lead: a scan of the whole table, for exports and migrations only. */
  async listLeads(): Promise<Lead[]> {
    return this.leadsWhere('');
  }

  async listOpenLeads(): Promise<Lead[]> {
    return (await this.rows.hinted(P.open)).sort(byArrival);
  }

  /** Retention's daily read: a scan filtered by Azure on the `closed` column (no hint to keep). */
  async listClosedLeads(): Promise<Lead[]> {
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

  /** One query per month covered (in parallel), filtered by Azure on the received time. */
  async listLeadsReceived(from: Date, to: Date): Promise<Lead[]> {
    const inPeriod = receivedIn(from, to);
    const months = monthsBetween(from, to);
    const pages = await Promise.all(
      months.map((month) =>
        this.tables.leads.query(
          odata`PartitionKey eq ${month} and at ge ${from.toISOString()} and at lt ${to.toISOString()}`,
        ),
      ),
    );
    return pages
      .flat()
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
    const leads = (await this.rows.hinted(P.failed)).filter((lead) => requeueFailed(lead, teamId));
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
   * Per channel one query of its `pending:` partition (keys only: the count), then its `limit`
   * oldest leads. Hints whose lead has moved on are skipped (and not counted once seen).
   */
  async pendingByChannel(limit: number): Promise<ChannelBacklog[]> {
    const channels = await this.channels();
    const backlogs = await Promise.all(
      channels.map(async (conversationId): Promise<ChannelBacklog | undefined> => {
        const hints = await this.tables.index.partition(P.pending(conversationId), [
          'PartitionKey',
          'RowKey',
          'id',
          'm',
          'Timestamp',
        ]);
        const leads: Lead[] = [];
        let stale = 0;
        for (let start = 0; start < hints.length && leads.length < limit; start += limit) {
          const some = hints.slice(start, start + limit);
          const wanted = await this.rows.resolve(some);
          stale += some.length - wanted.length;
          leads.push(...wanted.slice(0, limit - leads.length));
        }
        const pending = hints.length - stale;
        return pending > 0 ? { conversationId, pending, leads } : undefined;
      }),
    );
    return backlogs.filter((b): b is ChannelBacklog => b !== undefined);
  }

  async listOwedUpdates(): Promise<Lead[]> {
    return (await this.rows.hinted(P.owed)).sort(byArrival);
  }

  async listOwedAnnouncements(): Promise<Lead[]> {
    return (await this.rows.hinted(P.announce)).sort(byArrival);
  }

  async listUndelivered(): Promise<Lead[]> {
    return (await this.rows.hinted(P.undelivered)).sort(byArrival);
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
   * From small partitions only: the per-instance lead counters, the pending hints per channel
   * (keys only), the failed hints (each with its lead's count), the installations.
   */
  async stats(): Promise<StoreStats> {
    const [leads, channels, failed, installations] = await Promise.all([
      this.counter.total(),
      this.channels(),
      this.tables.index.partition(P.failed, ['n']),
      this.settings.countInstallations(),
    ]);
    const pending = await Promise.all(
      channels.map(async (c) => (await this.tables.index.partition(P.pending(c), ['RowKey'])).length),
    );
    return {
      leads,
      pendingDeliveries: pending.reduce((a, b) => a + b, 0),
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
   * first). Hints it needs are written before, hints it no longer needs removed after, each only
   * if unchanged since read before the write (so a hint another writer re-added stays).
   */
  private async write(current: StoredLead, next: Lead): Promise<boolean> {
    const row = toRow(next, writerToken());
    const { add, remove } = diffHints(current.lead, next);
    const [, , , ...toRemove] = await Promise.all([
      Promise.all(add.map((h) => this.tables.index.upsert(hintRow(h)))),
      this.registerChannels(next),
      this.claims.addRepeats(current.lead, next),
      ...remove.map((h) => this.tables.index.get(h.partitionKey, h.rowKey)),
    ]);
    if ((await this.tables.leads.replace(row, current.etag)) === undefined) return false;
    await Promise.all(
      toRemove.map((hint) =>
        hint ? this.tables.index.remove(hint.partitionKey, hint.rowKey, hint.etag).catch(() => false) : false,
      ),
    );
    return true;
  }

  private async registerChannels(lead: Lead): Promise<void> {
    const fresh = lead.deliveries
      .filter((d) => d.state === 'pending' && !this.knownChannels.has(d.conversationId))
      .map((d) => d.conversationId);
    await Promise.all(
      [...new Set(fresh)].map(async (conversationId) => {
        await this.tables.index.upsert({
          partitionKey: P.channels,
          rowKey: toKey(conversationId),
          conversationId,
        });
        this.knownChannels.add(conversationId);
      }),
    );
  }

  /** Every channel that had a card pending (once each). */
  private async channels(): Promise<string[]> {
    const rows = await this.tables.index.partition(P.channels, ['conversationId']);
    const channels = new Set(rows.map((row) => String(row.conversationId)));
    for (const channel of channels) this.knownChannels.add(channel);
    return [...channels];
  }

  private async require(id: string): Promise<StoredLead> {
    const stored = await this.rows.read(id);
    if (!stored) throw new NotFoundError(`No lead ${id}.`);
    return stored;
  }

  private async leadsWhere(filter: string): Promise<Lead[]> {
    const rows = await this.tables.leads.query(filter);
    return rows.map((row) => this.rows.parse(row).lead).sort(byArrival);
  }
}

function hintRow(hint: Hint): Row {
  return { ...hint };
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
