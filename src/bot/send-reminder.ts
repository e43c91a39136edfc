import { isPermanent } from '../delivery/retry-policy.js';
import type { Translator } from '../i18n/translator.js';
import { hidesContact, managersAmong } from '../leads/access.js';
import type { BusinessHours } from '../leads/business-time.js';
import { businessMinutesBetween } from '../leads/business-time.js';
import type { DueReminder } from '../leads/reminders.js';
import { rosterForLead } from '../leads/rosters.js';
import type { ViewDeps } from './bot-deps.js';
import { leadActivity } from './lead-activity.js';
import { viewFor } from './turn-helpers.js';

/** Delivers one reminder where it belongs; throws when nothing could be posted, so it is tried again. */
export async function sendReminder(
  reminder: DueReminder,
  deps: ViewDeps,
  hours: BusinessHours,
  nudgeAfterDays: number,
): Promise<void> {
  const { lead, kind } = reminder;
  const view = viewFor(undefined, deps);
  const roster = await rosterForLead(lead, deps.store);
  const waited = formatWaited(businessMinutesBetween(new Date(lead.receivedAt), deps.now(), hours), view.t);
  const delivery = lead.deliveries.find((d) => d.state === 'posted' && d.threadId);
  const installation = delivery ? await deps.store.getInstallation(delivery.teamId) : undefined;
  if (!installation) throw new Error(`lead ${lead.id} has no posted card in a known team`);

  if (kind === 'nudge') {
    const owner = installation.members?.find((m) => m.aadObjectId === lead.owner?.aadObjectId);
    if (!owner) throw new Error(`the owner of ${lead.id} is not on the roster`);
    const card = leadActivity(lead, { ...view, roster, snooze: true });
    await deps.poster.postToUser(installation, owner.id, {
      ...card,
      text: view.t('reminder.nudge', { days: nudgeAfterDays }),
    });
    return;
  }
  const card = leadActivity(lead, {
    ...view,
    roster,
    hideContact: hidesContact(lead, undefined, deps.config.contactVisibility),
  });
  if (kind === 'announce') {
    await deps.poster.postToConversation(installation, delivery?.threadId ?? '', {
      ...card,
      text: view.t('reminder.unclaimed', { waited }),
    });
    return;
  }
  // Escalation: each manager on the team's roster in a personal chat, each once (a retry tells only
  // those not reached yet); with none reachable at all, the thread.
  const managers = managersAmong(installation.members ?? [], deps.config.managers);
  const text = view.t('reminder.escalated', { waited });
  const told = new Set(lead.reminders?.escalatedTo ?? []);
  let reached = 0;
  let missed: unknown;
  for (const manager of managers) {
    if (told.has(manager.aadObjectId)) {
      reached++;
      continue;
    }
    try {
      await deps.poster.postToUser(installation, manager.id, { ...card, text });
      told.add(manager.aadObjectId);
      reached++;
      await deps.store.updateReminders(lead.id, { escalatedTo: [...told] });
    } catch (error) {
      // A chat Teams refuses for good (403, 404) will not open by waiting: that manager is skipped.
      if (!isPermanent(error)) missed = error;
    }
  }
  if (reached === 0)
    await deps.poster.postToConversation(installation, delivery?.threadId ?? '', { ...card, text });
  else if (missed) throw missed; // the scheduler tries the others again next minute
}

function formatWaited(minutes: number, t: Translator): string {
  return minutes < 90
    ? t('summary.minutes', { n: Math.round(minutes) })
    : t('summary.hours', { n: Math.round(minutes / 60) });
}
