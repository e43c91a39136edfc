import type { MarketplaceTableSettings } from '../config/config.js';
import { PeriodicJob } from '../delivery/periodic-job.js';
import { ValidationError } from '../errors.js';
import { type Arrivals, type IntakeResult, receiveLead } from '../leads/intake.js';
import type { LeadStore } from '../leads/store.js';
import { describeError, type Logger, redactEmail } from '../log.js';
import { rowToPayload, type TableRow } from './marketplace-row.js';

export const CHECKPOINT_NAME = 'marketplace-table';
/**
 * Rows are read back this far before the newest one taken: Partner Center may commit a row with an
 * older Timestamp after a newer one (another partition, a retry). Rows taken in that span are
 * remembered in the checkpoint, so reading them again repeats nothing.
 */
export const OVERLAP_MS = 10 * 60 * 1000;

/** What /healthz shows under `sources.marketplaceTable` (this instance's counts since it started). */
export interface TableSourceCounters {
  read: number;
  accepted: number;
  tests: number;
  duplicates: number;
  malformed: number;
  lastPollAt?: string;
  lastError?: string;
}

/** Where rows come from: rows whose Timestamp is at or after `since` (all rows without it). */
export interface RowReader {
  rowsSince(since: Date | undefined): AsyncIterable<TableRow>;
}

/** How far back the first poll reads: the 30 days in which a buyer's repeat leads are joined too. */
const FIRST_POLL_DAYS = 30;

interface Checkpoint {
  /** Timestamp of the newest row taken (ISO). */
  after?: string;
  /** Rows taken within OVERLAP_MS of `after`: "PartitionKey\nRowKey" → Timestamp (ms). */
  seen: Record<string, number>;
}

export interface PollerDeps {
  store: LeadStore;
  rows: RowReader;
  log: Logger;
  now: () => Date;
  /** Gives new leads their owner when auto-assign is on. */
  arrivals?: Arrivals;
  /** A new lead was stored (its card is due). */
  onAccepted: (result: IntakeResult) => void;
}

/**
 * Partner Center's Azure Table destination as a source: each poll takes the rows newer than the
 * checkpoint, oldest first, through the webhook's intake (same parsing, test leads, do-not-contact,
 * dedupe against the same lead by HTTPS). The checkpoint moves past a row only once its lead is
 * stored; a row that is not a lead is logged, counted and passed over, never blocking the next.
 */
export class MarketplaceTablePoller {
  readonly counters: TableSourceCounters = { read: 0, accepted: 0, tests: 0, duplicates: 0, malformed: 0 };
  private readonly job: PeriodicJob<void>;
  private stopping = false;

  constructor(private readonly deps: PollerDeps) {
    this.job = new PeriodicJob(
      () => this.poll(),
      (error) => this.failed(error),
    );
  }

  start(intervalMs: number): void {
    this.stopping = false;
    this.job.start(intervalMs);
  }

  /** Stops after the row in hand (its checkpoint written). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.job.stop();
  }

  /** One poll now (or the one running); resolves when it is done, a failure counted as `lastError`. */
  run(): Promise<void> {
    return this.job.run().catch((error) => this.failed(error));
  }

  private async poll(): Promise<void> {
    const { store, rows, log } = this.deps;
    const checkpoint = parseCheckpoint(await store.getCheckpoint(CHECKPOINT_NAME), log);
    // The first poll (no checkpoint yet) goes back FIRST_POLL_DAYS only: older rows are history, and
    // posting a year of it as new cards would bury the team. `npm run import-leads` takes those in.
    const since = checkpoint.after
      ? new Date(Date.parse(checkpoint.after) - OVERLAP_MS)
      : new Date(this.deps.now().getTime() - FIRST_POLL_DAYS * 86_400_000);
    const fresh: TableRow[] = [];
    for await (const row of rows.rowsSince(since))
      if (!Object.hasOwn(checkpoint.seen, keyOf(row))) fresh.push(row);
    fresh.sort(byTimestamp);
    for (const row of fresh) {
      if (this.stopping) break;
      await this.take(row);
      // Only now is the lead stored (or the row known bad): the checkpoint may pass it.
      advance(checkpoint, row);
      await store.setCheckpoint(CHECKPOINT_NAME, JSON.stringify(checkpoint));
    }
    this.counters.lastPollAt = this.deps.now().toISOString();
    delete this.counters.lastError;
  }

  /** One row through the intake; throws only when the lead could not be stored (tried again next poll). */
  private async take(row: TableRow): Promise<void> {
    this.counters.read++;
    const where = { partitionKey: row.partitionKey, rowKey: row.rowKey };
    let result: IntakeResult;
    try {
      result = await receiveLead(
        this.deps.store,
        JSON.stringify(rowToPayload(row)),
        this.deps.now(),
        this.deps.arrivals,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) {
        this.counters.read--; // not taken: read again next poll
        throw error;
      }
      this.counters.malformed++;
      // The reason names a field, never its value: no personal data in the log.
      this.deps.log.warn('MarketplaceLeads row skipped: not a lead', {
        ...where,
        reason: error.message.slice(0, 200),
      });
      return;
    }
    const { lead, status } = result;
    if (status === 'duplicate') this.counters.duplicates++;
    else if (status === 'test') this.counters.tests++;
    else this.counters.accepted++;
    this.deps.log.info('lead read from MarketplaceLeads', {
      ...where,
      id: lead.id,
      status,
      email: redactEmail(lead.customer.email),
    });
    if (status === 'accepted') this.deps.onAccepted(result);
  }

  private failed(error: unknown): void {
    this.counters.lastPollAt = this.deps.now().toISOString();
    this.counters.lastError = describeError(error).slice(0, 300);
    this.deps.log.error('MarketplaceLeads poll failed; the rows not taken are read again next time', {
      error: this.counters.lastError,
    });
  }
}

/**
 * Reads the table with @azure/data-tables: a connection string (Azurite too) or a URL and managed
 * identity. The SDK is loaded here, when a table is configured, so a start without one pays nothing.
 */
export async function tableRowReader(settings: MarketplaceTableSettings): Promise<RowReader> {
  const [{ odata }, { createTableClient }] = await Promise.all([
    import('@azure/data-tables'),
    import('../store/azure/table-client.js'),
  ]);
  const client = await createTableClient(settings, settings.tableName);
  return {
    async *rowsSince(since) {
      // Timestamp is not indexed: this scans the table, which stays small (Partner Center keeps
      // writing, nothing reads it down) and is read once a minute on one instance.
      const filter = since ? odata`Timestamp ge ${since}` : undefined;
      for await (const entity of client.listEntities(filter ? { queryOptions: { filter } } : {}))
        yield entity as TableRow;
    },
  };
}

function keyOf(row: TableRow): string {
  return `${row.partitionKey}\n${row.rowKey}`;
}

function timeOf(row: TableRow): number {
  const ms = Date.parse(String(row.timestamp ?? ''));
  return Number.isNaN(ms) ? 0 : ms;
}

function byTimestamp(a: TableRow, b: TableRow): number {
  return timeOf(a) - timeOf(b) || keyOf(a).localeCompare(keyOf(b));
}

function advance(checkpoint: Checkpoint, row: TableRow): void {
  const at = timeOf(row);
  const after = Math.max(at, checkpoint.after ? Date.parse(checkpoint.after) : 0);
  checkpoint.after = new Date(after).toISOString();
  checkpoint.seen[keyOf(row)] = at;
  for (const [key, seenAt] of Object.entries(checkpoint.seen))
    if (seenAt < after - OVERLAP_MS) delete checkpoint.seen[key];
}

function parseCheckpoint(value: string | undefined, log: Logger): Checkpoint {
  if (value === undefined) return { seen: {} };
  try {
    const parsed = JSON.parse(value) as Checkpoint;
    if (
      parsed &&
      typeof parsed.seen === 'object' &&
      parsed.seen !== null &&
      !Array.isArray(parsed.seen) &&
      (parsed.after === undefined || !Number.isNaN(Date.parse(parsed.after)))
    )
      return parsed;
  } catch {}
  // Reading from the start is safe: dedupe turns every row already taken into a duplicate.
  log.warn('MarketplaceLeads checkpoint unreadable; reading the table from the start');
  return { seen: {} };
}
