import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import { createAdapter } from './bot/adapter.js';
import type { BotDeps, ViewDeps } from './bot/bot-deps.js';
import { recoveredNotice } from './bot/handlers/recovered-notice.js';
import { createRosterReader } from './bot/roster.js';
import { LeadBot } from './bot/teams-bot.js';
import { outboxViews } from './bot/teams-views.js';
import { tellNewOwner } from './bot/tell-owner.js';
import type { CardNotice } from './bot/turn-helpers.js';
import type { Config } from './config.js';
import { leadChanges } from './delivery/lead-changes.js';
import { LeaderLease } from './delivery/leader-lease.js';
import { Outbox } from './delivery/outbox.js';
import { pacePoster, realClock } from './delivery/paced-poster.js';
import type { PeriodicJob } from './delivery/periodic-job.js';
import type { RetryPolicy } from './delivery/retry-policy.js';
import { createTeamsPoster } from './delivery/teams-poster.js';
import { EventOutbox } from './events/event-outbox.js';
import type { EventRetryPolicy } from './events/event-retry.js';
import { eventNotices } from './events/tell-managers.js';
import { FailedAuthLimiter } from './http/failed-auth-limiter.js';
import { privacyFacts } from './http/privacy-facts.js';
import { createTabAuth } from './http/tab/auth.js';
import { ownerNotToldNotice } from './i18n/messages.js';
import { Door } from './leads/door.js';
import type { LeadStore } from './leads/store.js';
import { describeError, type Logger } from './log.js';
import { createScheduledJobs } from './scheduled-jobs.js';
import { createServer } from './server.js';
import { MarketplaceTablePoller, type RowReader, tableRowReader } from './sources/marketplace-table.js';
import { openStore } from './store/open-store.js';

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

/** Builds every piece from the config; nothing listens until `listen`. */
export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { log } = options;
  const now = options.now ?? (() => new Date());
  const store = options.store ?? (await openStore(config, log));
  const { adapter, auth } = createAdapter(config.bot, { config, log, now });
  // Sends are kept in the store: Teams' windows outlive a restart and hold across instances.
  const poster = pacePoster(createTeamsPoster(adapter, config.bot.appId), realClock, store);
  const views: ViewDeps = { store, poster, config, log, now };
  const outbox = new Outbox({
    store,
    // Queued cards go out only while this instance holds the lease, checked after each pacing wait.
    poster: poster.onlyWhile(() => leader.isLeader),
    ...outboxViews(views),
    log,
    now,
    ...(options.backlogNoticeAt ? { backlogNoticeAt: options.backlogNoticeAt } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const events = new EventOutbox({
    store,
    settings: config.events,
    log,
    now,
    ...eventNotices(views),
    ...(options.eventRetry ? { retry: options.eventRetry } : {}),
    ...(options.eventConcurrency ? { concurrency: options.eventConcurrency } : {}),
  });
  // One port for every change: the new owner's notice, the posted cards, the lead events.
  const changes = leadChanges<CardNotice>({
    refreshCards: (lead, notice) => outbox.refreshCards(lead, notice),
    kickCards: () => outbox.kick(), // new cards, or repeats to announce
    kickEvents: () => events.kick(),
    tellNewOwner: (lead, by) => tellNewOwner(lead, by, views),
    ownerNotTold: ownerNotToldNotice,
  });
  const door = new Door({
    store,
    now,
    config,
    changes,
    rosters: createRosterReader(adapter, config.bot.appId),
    warn: log.warn,
  });
  const deps: BotDeps = {
    ...views,
    door,
    changes,
    delivery: {
      teamIsBack: (teamId) => outbox.teamIsBack(teamId),
      queueUndelivered: (routing) => outbox.queueUndelivered(routing),
    },
  };
  const jobs = createScheduledJobs({ ...views, config, door }, changes);
  // One key for the keyed routes (webhook, CRM link, import), so one count of wrong guesses.
  const keyed = {
    secrets: config.webhookSecrets,
    open: config.localMode && config.webhookSecrets.length === 0,
    log,
    now,
    failedAuth: new FailedAuthLimiter(),
  };
  const tableRows =
    options.tableRows ??
    (config.marketplaceTable ? await tableRowReader(config.marketplaceTable) : undefined);
  const tablePoller = tableRows
    ? new MarketplaceTablePoller({ store, rows: tableRows, log, now, onAccepted: () => changes.received() })
    : undefined;
  void outbox.pause(); // the queue is posted only while this instance holds the lease (below)
  // The one place background work is gated: it runs here only while this instance holds the lease.
  const leader = new LeaderLease({
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
  const tabAuth = await createTabAuth(config);
  const server = createServer({
    crmLink: { ...keyed, store, changes },
    importLeads: { ...keyed, store, announce: recoveredNotice(views), onImported: () => changes.received() },
    adapter,
    auth,
    requireToken: !config.localMode,
    privacy: privacyFacts(config),
    // The lead link's page opens the Leads tab the card's deep link opens (none in local mode).
    ...(config.bot.appId ? { teamsAppId: config.bot.appId } : {}),
    bot: new LeadBot(deps),
    log,
    webhook: { ...keyed, store, onAccepted: () => changes.received() },
    events,
    health: () => ({
      leader: leader.isLeader,
      ...(tablePoller ? { sources: { marketplaceTable: tablePoller.counters } } : {}),
    }),
    tab: {
      api: {
        store,
        config,
        verify: tabAuth.verify,
        log,
        now,
        door,
      },
      ...(tabAuth.dev ? { dev: tabAuth.dev } : {}),
      ...(options.tabDir ? { staticDir: options.tabDir } : {}),
    },
  });

  return {
    server,
    store,
    door,
    outbox,
    events,
    digests: jobs.digests,
    reminders: jobs.reminders,
    runRetention: () => jobs.retention.run(),
    leader,
    tablePoller,
    async listen(port, host = '0.0.0.0') {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject); // e.g. EADDRINUSE: reported, not thrown from an event
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      await leader.start(); // when it holds the lease: deliveries left pending, the scheduled jobs
      const address = server.address() as AddressInfo;
      // A URL this machine can reach the server on, also when it listens on every interface.
      const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
      return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${address.port}`;
    },
    async close() {
      // Stops accepting at once (before the first await), then answers every request already
      // received; only then is anything they need stopped.
      await server.stop();
      await leader.stop(); // gives the lease up, so another instance takes over at once
      await Promise.all([jobs.stop(), outbox.stop(), events.stop()]);
      await store.close();
    },
  };
}
