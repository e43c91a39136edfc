import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type restify from 'restify';
import { createAdapter } from './bot/adapter.js';
import type { BotDeps, ViewDeps } from './bot/bot-deps.js';
import { publishChange } from './bot/handlers/lead-action.js';
import { LeadBot } from './bot/teams-bot.js';
import { outboxViews } from './bot/teams-views.js';
import type { Config } from './config.js';
import { Outbox } from './delivery/outbox.js';
import { pacePoster, realClock } from './delivery/paced-poster.js';
import { PacingJournal } from './delivery/pacing-journal.js';
import type { PeriodicJob } from './delivery/periodic-job.js';
import type { RetryPolicy } from './delivery/retry-policy.js';
import { createTeamsPoster } from './delivery/teams-poster.js';
import { createTabAuth } from './http/tab/auth.js';
import type { LeadStore } from './leads/store.js';
import { describeError, type Logger } from './log.js';
import { createScheduledJobs } from './scheduled-jobs.js';
import { createServer } from './server.js';
import { LowdbStore } from './store/lowdb-store.js';

export interface AppOptions {
  log: Logger;
  now?: () => Date;
  retry?: RetryPolicy;
  /** Defaults to the embedded lowdb store in config.dataDir. */
  store?: LeadStore;
  /** Backlog size that gets a notice first (default 240, about two minutes of posting). */
  backlogNoticeAt?: number;
  /** Where the tab's built files are (default dist/tab). */
  tabDir?: string;
}

export interface App {
  server: restify.Server;
  store: LeadStore;
  outbox: Outbox;
  /** Every minute: digests due now (`run()` sends them at once and says how many went out). */
  digests: PeriodicJob<number>;
  /** Every minute: reminders due now. */
  reminders: PeriodicJob<number>;
  /** Erases personal data of leads closed longer than RETENTION_DAYS (hourly, and at start). */
  runRetention(): Promise<number>;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** Builds every piece from the config; nothing listens until `listen`. */
export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { log } = options;
  const now = options.now ?? (() => new Date());
  const store = options.store ?? (await LowdbStore.open(config.dataDir, { log }));
  const { adapter, auth } = createAdapter(config.bot, { config, log, now });
  // Teams' windows outlive a restart, so the first posts after one provoke no 429.
  const journal = PacingJournal.tryOpen(join(config.dataDir, 'teams-pacing.log'), Date.now(), (error) =>
    log.warn('Teams pacing is not remembered across restarts', { error: describeError(error) }),
  );
  const poster = pacePoster(createTeamsPoster(adapter, config.bot.appId), realClock, journal);
  const views: ViewDeps = { store, poster, config, log, now };
  const outbox = new Outbox({
    store,
    poster,
    ...outboxViews(views),
    log,
    now,
    ...(options.backlogNoticeAt ? { backlogNoticeAt: options.backlogNoticeAt } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const deps: BotDeps = { ...views, delivery: outbox };
  const jobs = createScheduledJobs({ ...views, config }, outbox);
  const tabAuth = await createTabAuth(config);
  const server = createServer({
    adapter,
    auth,
    requireToken: !config.localMode,
    bot: new LeadBot(deps),
    log,
    webhook: {
      store,
      secrets: config.webhookSecrets,
      open: config.localMode && config.webhookSecrets.length === 0,
      log,
      now,
      onAccepted: () => outbox.kick(), // a new card, or a repeat to announce
    },
    tab: {
      api: {
        store,
        config,
        verify: tabAuth.verify,
        log,
        now,
        publish: async (lead, verb, actorName) => {
          await publishChange(lead, verb, actorName, deps);
        },
      },
      ...(tabAuth.dev ? { dev: tabAuth.dev } : {}),
      ...(options.tabDir ? { staticDir: options.tabDir } : {}),
    },
  });

  return {
    server,
    store,
    outbox,
    digests: jobs.digests,
    reminders: jobs.reminders,
    runRetention: () => jobs.retention.run(),
    async listen(port, host = '0.0.0.0') {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject); // e.g. EADDRINUSE: reported, not thrown from an event
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      outbox.kick(); // deliveries left pending by the previous run
      jobs.start();
      const address = server.address() as AddressInfo;
      // A URL this machine can reach the server on, also when it listens on every interface.
      const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
      return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${address.port}`;
    },
    async close() {
      // Stops accepting at once (before the first await), then answers every request already
      // received; only then is anything they need stopped.
      await server.stop();
      await Promise.all([jobs.stop(), outbox.stop()]);
      journal?.close();
      await store.close();
    },
  };
}
