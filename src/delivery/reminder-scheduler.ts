import type { Lead } from '../leads/lead.js';
import { type DueReminder, dueReminders, type ReminderPolicy } from '../leads/reminders.js';
import { describeError, type Logger } from '../log.js';
import type { LeadStore } from '../store/lead-store.js';

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
export async function sendDueReminders(deps: ReminderDeps): Promise<number> {
  const now = deps.now();
  let sent = 0;
  for (const reminder of dueReminders(await deps.store.listLeads(), now, deps.policy)) {
    try {
      await deps.send(reminder);
      await deps.store.updateReminders(reminder.lead.id, {
        [RECORD[reminder.kind]]: now.toISOString(),
      });
      sent++;
    } catch (error) {
      deps.log.warn('reminder not sent, next minute tries again', {
        lead: reminder.lead.id,
        kind: reminder.kind,
        error: describeError(error),
      });
    }
  }
  return sent;
}
