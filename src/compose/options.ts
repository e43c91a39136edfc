// What createApp takes (tests shorten timings and hand their own parts) and what it gives back.
import type restify from 'restify';
import type { DownloadPolicy } from '../bot/handlers/download-file.js';
import type { LeaderLease } from '../delivery/leader-lease.js';
import type { Outbox } from '../delivery/outbox.js';
import type { PeriodicJob } from '../delivery/periodic-job.js';
import type { RetryPolicy } from '../delivery/retry-policy.js';
import type { EventOutbox } from '../events/event-outbox.js';
import type { EventRetryPolicy } from '../events/event-retry.js';
import type { HealthTiming } from '../http/health-figures.js';
import type { Door } from '../leads/door.js';
import type { LeadStore } from '../leads/store.js';
import type { Logger } from '../log.js';
import type { MarketplaceTablePoller, RowReader } from '../sources/marketplace-table.js';

export interface AppOptions {
  log: Logger;
  now?: () => Date;
  retry?: RetryPolicy;
  /** Defaults to the store STORE names (the embedded lowdb store in config.dataDir). */
  store?: LeadStore;
  /** Rows of the MarketplaceLeads table; defaults to the table config.marketplaceTable names. */
  tableRows?: RowReader;
  /** Backlog size that gets a notice first (default 240, about two minutes of posting). */
  backlogNoticeAt?: number;
  /** Lead events: retries and give-up (tests shorten them), leads sent to at once per endpoint. */
  eventRetry?: Partial<EventRetryPolicy>;
  eventConcurrency?: number;
  /** Where the tab's built files are (default dist/tab). */
  tabDir?: string;
  /** /healthz: how long it waits for the store, when its figures are stale (tests shorten them). */
  healthTiming?: Partial<HealthTiming>;
  /** Shared-file downloads: loopback follows local mode; tests give their own resolver. */
  downloads?: Partial<DownloadPolicy>;
}

export interface App {
  server: restify.Server;
  store: LeadStore;
  /** The application layer every surface calls (scope, access, actions). */
  door: Door;
  outbox: Outbox;
  /** Lead events to EVENTS_URL (idle when it is empty). */
  events: EventOutbox;
  /** Every minute: digests due now (`run()` sends them at once and says how many went out). */
  digests: PeriodicJob<number>;
  /** Every minute: reminders due now. */
  reminders: PeriodicJob<number>;
  /** Erases personal data of leads closed longer than RETENTION_DAYS (hourly, and at start). */
  runRetention(): Promise<number>;
  /** Background work (outbox, digests, reminders, retention, table poller) runs while this holds. */
  leader: LeaderLease;
  /** The MarketplaceLeads poller, when a table is configured. */
  tablePoller: MarketplaceTablePoller | undefined;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}
