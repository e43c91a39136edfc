import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type restify from 'restify';
import { repeatReply } from './bot/announce-repeat.js';
import type { BotDeps } from './bot/bot-deps.js';
import { renderSummaryCard } from './bot/cards/summary-card.js';
import { translator } from './bot/i18n/translator.js';
import { leadActivity } from './bot/lead-activity.js';
import { notifyFailedDelivery } from './bot/notify-failure.js';
import { rosterForLead } from './bot/roster.js';
import { sendReminder } from './bot/send-reminder.js';
import { LeadBot } from './bot/teams-bot.js';
import { type CardNotice, hideContactFor, viewFor } from './bot/turn-helpers.js';
import type { Config } from './config.js';
import { sendDueDigests } from './delivery/digest-scheduler.js';
import { Outbox } from './delivery/outbox.js';
import { pacePoster, realClock } from './delivery/paced-poster.js';
import { PacingJournal } from './delivery/pacing-journal.js';
import { PeriodicJob } from './delivery/periodic-job.js';
import { sendDueReminders } from './delivery/reminder-scheduler.js';
import { purgeExpired } from './delivery/retention.js';
import type { RetryPolicy } from './delivery/retry-policy.js';
import { createTeamsPoster } from './delivery/teams-poster.js';
import { summarize } from './leads/reports.js';
import type { LeadStore } from './leads/store.js';
import { describeError, type Logger } from './log.js';
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
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    log.error('turn failed', { type: context.activity.type, error: describeError(error) });
    if (context.activity.type === 'message')
      await context.sendActivity(viewFor(context, deps).t('error.tryAgain'));
  };
  // Teams' windows outlive a restart, so the first posts after one provoke no 429.
  const journal = PacingJournal.tryOpen(join(config.dataDir, 'teams-pacing.log'), Date.now(), (error) =>
    log.warn('Teams pacing is not remembered across restarts', { error: describeError(error) }),
  );
  const poster = pacePoster(createTeamsPoster(adapter, config.bot.appId), realClock, journal);
  const outbox = new Outbox({
    store,
    poster,
    render: async (lead, notice?: CardNotice) => {
      const view = viewFor(undefined, deps);
      return leadActivity(lead, {
        ...view,
        roster: await rosterForLead(lead, store),
        hideContact: hideContactFor(lead, undefined, deps),
        ...(notice ? { notice: notice(view.t) } : {}),
      });
    },
    renderRepeat: (_lead, repeat) => repeatReply(repeat, deps),
    log,
    now,
    onFailed: (lead, delivery, error) => notifyFailedDelivery(lead, delivery, error, deps),
    ...(options.backlogNoticeAt ? { backlogNoticeAt: options.backlogNoticeAt } : {}),
    onBacklog: async (teamId, channelId, count) => {
      const installation = await store.getInstallation(teamId);
      if (!installation) return;
      const text = viewFor(undefined, deps).t('backlog.notice', { count });
      await poster.postToChannel({ ...installation, channelId }, { type: 'message', text });
    },
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const deps: BotDeps = {
    store,
    poster,
    config,
    log,
    now,
    delivery: outbox,
  };
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
  });

  const scheduledRunFailed = (error: unknown) =>
    log.error('scheduled run failed', { error: describeError(error) });
  const digests = new PeriodicJob(
    () =>
      sendDueDigests({
        store,
        poster,
        timeZone: config.timeZone,
        now,
        log,
        render: async (digest, period) => {
          const t = translator(digest.locale, config.defaultLocale);
          const card = renderSummaryCard(
            summarize(await store.listLeadsReceived(period.from, period.to), period),
            {
              t,
              timeZone: config.timeZone,
              now: now(),
            },
          );
          return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
        },
      }),
    scheduledRunFailed,
  );
  const r = config.reminders;
  const hours = {
    start: r.businessStart,
    end: r.businessEnd,
    days: r.businessDays,
    timeZone: config.timeZone,
  };
  const reminders = new PeriodicJob(
    () =>
      sendDueReminders({
        store,
        now,
        log,
        policy: {
          hours,
          contactMeMinutes: r.contactMeMinutes,
          otherMinutes: r.otherMinutes,
          nudgeAfterDays: r.nudgeAfterDays,
        },
        send: (reminder) => sendReminder(reminder, deps, hours, r.nudgeAfterDays),
      }),
    scheduledRunFailed,
  );
  const runRetention = async () => {
    if (config.retentionDays === undefined) return 0;
    const erased = await purgeExpired(store, config.retentionDays, now(), log);
    for (const lead of erased) await outbox.refreshCards(lead);
    return erased.length;
  };
  const retention = new PeriodicJob(runRetention, (error) =>
    log.error('retention failed', { error: describeError(error) }),
  );

  return {
    server,
    store,
    outbox,
    digests,
    reminders,
    runRetention,
    async listen(port, host = '0.0.0.0') {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject); // e.g. EADDRINUSE: reported, not thrown from an event
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      outbox.kick(); // deliveries left pending by the previous run
      digests.start(60_000);
      reminders.start(60_000);
      if (config.retentionDays !== undefined) retention.start(60 * 60 * 1000);
      const address = server.address() as AddressInfo;
      // A URL this machine can reach the server on, also when it listens on every interface.
      const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
      return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${address.port}`;
    },
    async close() {
      // Stops accepting at once (before the first await), then answers every request already
      // received; only then is anything they need stopped.
      await server.stop();
      await Promise.all([retention.stop(), outbox.stop(), digests.stop(), reminders.stop()]);
      journal?.close();
      await store.close();
    },
  };
}
