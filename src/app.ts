// The composition root: every piece built from the config and wired to the next; nothing listens
// until `listen`. What each group is lives in compose/ (Teams, delivery, background work).
import type { BotDeps } from './bot/bot-deps.js';
import { recoveredNotice } from './bot/handlers/recovered-notice.js';
import { composeLeader, composeTablePoller } from './compose/background.js';
import { briefSettings } from './compose/brief-settings.js';
import { composeDelivery } from './compose/delivery.js';
import { listenOn } from './compose/listen.js';
import type { App, AppOptions } from './compose/options.js';
import { composeTeams, downloadPolicy } from './compose/teams.js';
import type { Config } from './config/config.js';
import type { LeaderLease } from './delivery/leader-lease.js';
import { FailedAuthLimiter } from './http/failed-auth-limiter.js';
import { privacyFacts } from './http/privacy-facts.js';
import { createTabAuth } from './http/tab/auth.js';
import { AutoAssignment } from './leads/auto-assignment.js';
import { Door } from './leads/door.js';
import type { IntakeResult } from './leads/intake.js';
import { describeError } from './log.js';
import { createScheduledJobs } from './scheduled-jobs.js';
import { createServer } from './server.js';
import { openStore } from './store/open-store.js';

export type { App, AppOptions } from './compose/options.js';

export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { log } = options;
  const now = options.now ?? (() => new Date());
  const opened = options.store ?? (await openStore(config, log));
  // On Azure each read of an installation or the routing is a billed request: the outbox, the
  // views and intake read them through a cache of a few seconds; all else, `store`, reads afresh.
  const { briefly, fresh: store } =
    config.store.kind === 'azure-table' ? briefSettings(opened) : { briefly: opened, fresh: opened };
  const teams = composeTeams(config, briefly, log, now);
  const { views, poster } = teams;
  let leader: LeaderLease | undefined;
  const { outbox, events, changes } = composeDelivery(
    config,
    options,
    views,
    () => leader?.isLeader ?? false,
  );
  // The turn and the roster are read fresh; whether a team has auto-assign on may be a few seconds old.
  const arrivals = new AutoAssignment({ store, settings: briefly, now, warn: log.warn });
  const door = new Door({ store, now, config, changes, arrivals, rosters: teams.rosters, warn: log.warn });
  // A lead stored by the webhook or the table source: its card, events and (auto-assigned) owner's notice are due.
  const leadStored = (_result: IntakeResult) => changes.received();
  const deps: BotDeps = {
    ...views,
    store, // the handlers decide access and change installations: never from the cache
    door,
    changes,
    downloads: downloadPolicy(config, options),
    delivery: {
      teamIsBack: (teamId) => outbox.teamIsBack(teamId),
      queueUndelivered: (routing) => outbox.queueUndelivered(routing),
    },
  };
  const jobs = createScheduledJobs({ ...views, config, door }, changes);
  const background = { store, log, now, poster, outbox, events, jobs, changes, arrivals, leadStored };
  const tablePoller = await composeTablePoller(config, options, { ...background, store: briefly });
  const lease = composeLeader(config, background, tablePoller);
  leader = lease;
  // One key for the keyed routes (webhook, CRM link, import), so one count of wrong guesses.
  const keyed = {
    secrets: config.webhookSecrets,
    open: config.localMode && config.webhookSecrets.length === 0,
    log,
    now,
    failedAuth: new FailedAuthLimiter(),
  };
  const tabAuth = await createTabAuth(config);
  const server = createServer({
    botEndpoint: teams.endpoint(deps),
    requireToken: !config.localMode,
    webhook: { ...keyed, store: briefly, arrivals, onAccepted: leadStored },
    crmLink: { ...keyed, store, changes },
    importLeads: {
      ...keyed,
      store: briefly,
      announce: recoveredNotice(views),
      onImported: () => changes.received(),
    },
    privacy: privacyFacts(config),
    listenHost: config.host,
    ...(options.healthTiming ? { healthTiming: options.healthTiming } : {}),
    // The lead link's page opens the Leads tab the card's deep link opens (none in local mode).
    ...(config.bot.appId ? { teamsAppId: config.bot.appId } : {}),
    log,
    events,
    health: () => ({
      leader: lease.isLeader,
      ...(tablePoller ? { sources: { marketplaceTable: tablePoller.counters } } : {}),
    }),
    tab: {
      api: { store, config, verify: tabAuth.verify, log, now, door },
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
    leader: lease,
    tablePoller,
    async listen(port, host = '0.0.0.0') {
      const url = await listenOn(server, port, host);
      await lease.start(); // when it holds the lease: deliveries left pending, the scheduled jobs
      // botbuilder, loaded once listening: the first message or card post does not wait for it.
      teams
        .preload()
        .catch((error) => log.warn('botbuilder not loaded yet', { error: describeError(error) }));
      return url;
    },
    async close() {
      // Stops accepting at once (before the first await), then answers every request already
      // received; only then is anything they need stopped.
      await server.stop();
      await lease.stop(); // gives the lease up, so another instance takes over at once
      await Promise.all([jobs.stop(), outbox.stop(), events.stop()]);
      await store.close();
    },
  };
}
