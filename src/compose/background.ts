// Background work runs on one instance at a time, while it holds the lease: the outbox's queue, the
// lead events, digests, reminders, retention and the MarketplaceLeads poller. The one place it is gated.
import type { Config } from '../config/config.js';
import { LeaderLease } from '../delivery/leader-lease.js';
import type { Outbox } from '../delivery/outbox.js';
import type { PacedPoster } from '../delivery/paced-poster.js';
import type { EventOutbox } from '../events/event-outbox.js';
import type { LeadChanges } from '../leads/changes.js';
import type { Arrivals, IntakeResult } from '../leads/intake.js';
import type { LeadStore } from '../leads/store.js';
import { describeError, type Logger } from '../log.js';
import type { ScheduledJobs } from '../scheduled-jobs.js';
import { MarketplaceTablePoller, tableRowReader } from '../sources/marketplace-table.js';
import type { AppOptions } from './options.js';

export interface BackgroundParts {
  store: LeadStore;
  log: Logger;
  now: () => Date;
  poster: PacedPoster;
  outbox: Outbox<never> | Outbox<unknown>;
  events: EventOutbox;
  jobs: ScheduledJobs;
  changes: LeadChanges;
  arrivals: Arrivals;
  /** A lead the table source stored: its card, events and owner's notice. */
  leadStored: (result: IntakeResult) => void;
}

/** The MarketplaceLeads poller, when a table is configured (or tests hand their rows). */
export async function composeTablePoller(config: Config, options: AppOptions, parts: BackgroundParts) {
  const rows =
    options.tableRows ??
    (config.marketplaceTable ? await tableRowReader(config.marketplaceTable) : undefined);
  if (!rows) return undefined;
  const { store, log, now, arrivals, leadStored } = parts;
  return new MarketplaceTablePoller({ store, rows, log, now, arrivals, onAccepted: leadStored });
}

export function composeLeader(
  config: Config,
  parts: BackgroundParts,
  tablePoller: MarketplaceTablePoller | undefined,
): LeaderLease {
  const { store, log, poster, outbox, events, jobs, changes } = parts;
  void outbox.pause(); // the queue is posted only while this instance holds the lease
  return new LeaderLease({
    store,
    ttlMs: config.leaseTtlMs,
    log,
    // Leads stored by another instance kicked its outbox, not this one: sweep on every renewal.
    onRenew: () => changes.received(),
    work: {
      async start() {
        await poster.reseed().catch((error) =>
          // Not lost: the first post reads them again, and waits (is retried) until the store answers.
          log.warn('recent Teams sends not read yet; they are read before the first post', {
            error: describeError(error),
          }),
        );
        outbox.resume();
        await events.start();
        jobs.start();
        tablePoller?.start((config.marketplaceTable?.pollSeconds ?? 60) * 1000);
      },
      async stop() {
        await Promise.all([outbox.pause(), events.stop(), jobs.stop(), tablePoller?.stop()]);
      },
    },
  });
}
