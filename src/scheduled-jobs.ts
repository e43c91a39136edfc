import type { ViewDeps } from './bot/bot-deps.js';
import { sendReminder } from './bot/send-reminder.js';
import { renderDigest } from './bot/teams-views.js';
import type { Config } from './config/config.js';
import { sendDueDigests } from './delivery/digest-scheduler.js';
import { PeriodicJob } from './delivery/periodic-job.js';
import { sendDueReminders } from './delivery/reminder-scheduler.js';
import { purgeExpired } from './delivery/retention.js';
import type { LeadChanges } from './leads/changes.js';
import type { Door } from './leads/door.js';
import { describeError } from './log.js';

export interface ScheduledJobs {
  /** Every minute: digests due now (`run()` sends them at once and says how many went out). */
  digests: PeriodicJob<number>;
  /** Every minute: reminders due now. */
  reminders: PeriodicJob<number>;
  /** Hourly, with RETENTION_DAYS: erases personal data of leads closed longer ago than that. */
  retention: PeriodicJob<number>;
  start(): void;
  stop(): Promise<void>;
}

const SYSTEM = { aadObjectId: 'system', name: 'Lead Assistant' };

/** The background work: digests and reminders every minute, retention every hour. */
export function createScheduledJobs(
  deps: ViewDeps & { config: Config; door: Door },
  changes: LeadChanges,
): ScheduledJobs {
  const { store, config, log, now } = deps;
  const failed = (what: string) => (error: unknown) =>
    log.error(`${what} failed`, { error: describeError(error) });
  const r = config.reminders;
  const hours = {
    start: r.businessStart,
    end: r.businessEnd,
    days: r.businessDays,
    timeZone: config.timeZone,
  };
  const digests = new PeriodicJob(
    () =>
      sendDueDigests({
        store,
        poster: deps.poster,
        timeZone: config.timeZone,
        now,
        log,
        render: (digest, period) => renderDigest(digest, period, deps),
      }),
    failed('scheduled run'),
  );
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
    failed('scheduled run'),
  );
  const retention = new PeriodicJob(async () => {
    if (config.retentionDays === undefined) return 0;
    const erased = await purgeExpired(store, config.retentionDays, now(), log);
    for (const lead of erased) changes.changed({ lead, verb: 'erased', by: SYSTEM });
    return erased.length;
  }, failed('retention'));
  return {
    digests,
    reminders,
    retention,
    start() {
      digests.start(60_000);
      reminders.start(60_000);
      if (config.retentionDays !== undefined) retention.start(60 * 60 * 1000);
    },
    async stop() {
      await Promise.all([retention.stop(), digests.stop(), reminders.stop()]);
    },
  };
}
