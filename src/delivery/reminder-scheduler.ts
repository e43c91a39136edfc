import { setImmediate } from 'node:timers/promises';
import type { Lead } from '../leads/lead.js';
import { type DueReminder, dueReminders, type ReminderPolicy } from '../leads/reminders.js';
import type { Leads } from '../leads/store.js';
import { describeError, type Logger } from '../log.js';

export interface ReminderDeps {
  store: Leads;
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

const SWEEP_CHUNK = 2000;

/** The minute's sweep in slices, so leads arriving meanwhile are not kept waiting for their 202. */
async function sweep(leads: Lead[], now: Date, policy: ReminderPolicy): Promise<DueReminder[]> {
  const due: DueReminder[] = [];
  for (let i = 0; i < leads.length; i += SWEEP_CHUNK) {
    due.push(...dueReminders(leads.slice(i, i + SWEEP_CHUNK), now, policy));
    await setImmediate();
  }
  return due;
}

/** Checks every minute what is due; records a reminder once it went out (so a restart does not repeat it). */
export async function sendDueReminders(deps: ReminderDeps): Promise<number> {
  const now = deps.now();
  let sent = 0;
  for (const reminder of await sweep(await deps.store.listOpenLeads(), now, deps.policy)) {
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
