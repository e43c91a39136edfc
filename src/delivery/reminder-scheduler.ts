import type { Lead } from '../leads/lead.js';
import { type DueReminder, dueReminders, type ReminderPolicy } from '../leads/reminders.js';
import { describeError, type Logger } from '../log.js';
import type { LeadStore } from '../store/lead-store.js';
import { PeriodicJob } from './periodic-job.js';

export interface ReminderDeps {
  store: LeadStore;
  policy: ReminderPolicy;
  now: () => Date;
  log: Logger;
  /** Posts the reminder (thread reply, managers' or owner's chat); throws if it could not. */
  send: (reminder: DueReminder) => Promise<void>;
}

const RECORD: Record<DueReminder['kind'], keyof NonNullable<Lead['reminders']>> = {
  announce: 'announcedAt',
  escalate: 'escalatedAt',
  nudge: 'nudgedAt',
};

/** Checks every minute what is due; records a reminder once it went out (so a restart does not repeat it). */
export class ReminderScheduler {
  private readonly job = new PeriodicJob(
    () => this.sendDue(),
    (error) => this.deps.log.error('scheduled run failed', { error: describeError(error) }),
  );

  constructor(private readonly deps: ReminderDeps) {}

  start(intervalMs = 60_000): void {
    this.job.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Sends what is due now; returns how many went out. */
  tick(): Promise<number> {
    return this.job.run();
  }

  private async sendDue(): Promise<number> {
    const now = this.deps.now();
    let sent = 0;
    for (const reminder of dueReminders(await this.deps.store.listLeads(), now, this.deps.policy)) {
      try {
        await this.deps.send(reminder);
        await this.deps.store.updateReminders(reminder.lead.id, {
          [RECORD[reminder.kind]]: now.toISOString(),
        });
        sent++;
      } catch (error) {
        this.deps.log.warn('reminder not sent, next minute tries again', {
          lead: reminder.lead.id,
          kind: reminder.kind,
          error: describeError(error),
        });
      }
    }
    return sent;
  }
}
