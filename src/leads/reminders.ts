import { isClaimable } from './access.js';
import { type BusinessHours, businessMinutesBetween, businessMinutesPerDay } from './business-time.js';
import type { Lead } from './lead.js';
import { isOpen } from './lifecycle.js';

export interface ReminderPolicy {
  hours: BusinessHours;
  /** Business minutes a Contact me lead may wait unclaimed before it is re-announced. */
  contactMeMinutes: number;
  otherMinutes: number;
  /** Business days an owned lead may sit untouched before its owner is nudged. */
  nudgeAfterDays: number;
}

export type ReminderKind = 'announce' | 'escalate' | 'nudge';

export interface DueReminder {
  lead: Lead;
  kind: ReminderKind;
}

/** Older leads are history, not reminders: an upgrade must not flood the team with old news. */
const HORIZON_MS = 30 * 86_400_000;

/**
 * Which reminders are due now. They stop the moment the lead moves: an unclaimed lead is
 * re-announced, then escalated, only while it is claimable; an owner is nudged once per idle
 * stretch (a new touch starts a new one), and not while the lead is snoozed.
 */
export function dueReminders(leads: Lead[], now: Date, policy: ReminderPolicy): DueReminder[] {
  const due: DueReminder[] = [];
  for (const lead of leads) {
    if (lead.isTest || lead.doNotContact || lead.erased) continue;
    // A reminder points at the lead's card; until one is posted the outbox is still at work.
    if (!lead.deliveries.some((d) => d.state === 'posted')) continue;
    const r = lead.reminders ?? {};
    if (isClaimable(lead)) {
      if (r.escalatedAt || now.getTime() - Date.parse(lead.receivedAt) > HORIZON_MS) continue;
      const sla = lead.source.action === 'PLT' ? policy.contactMeMinutes : policy.otherMinutes;
      const waited = businessMinutesBetween(new Date(lead.receivedAt), now, policy.hours, 2 * sla);
      if (waited >= 2 * sla) due.push({ lead, kind: 'escalate' });
      else if (waited >= sla && !r.announcedAt) due.push({ lead, kind: 'announce' });
      continue;
    }
    if (!lead.owner || !isOpen(lead)) continue;
    if (r.snoozedUntil && Date.parse(r.snoozedUntil) > now.getTime()) continue;
    const lastTouch = lastPersonTouch(lead);
    if (r.nudgedAt && Date.parse(r.nudgedAt) >= Date.parse(lastTouch)) continue;
    if (now.getTime() - Date.parse(lastTouch) > HORIZON_MS) continue;
    const needed = policy.nudgeAfterDays * businessMinutesPerDay(policy.hours);
    if (businessMinutesBetween(new Date(lastTouch), now, policy.hours, needed) >= needed)
      due.push({ lead, kind: 'nudge' });
  }
  return due;
}

function lastPersonTouch(lead: Lead): string {
  return [...lead.history].reverse().find((e) => e.by.aadObjectId !== 'system')?.at ?? lead.receivedAt;
}
