import { autoHowText, autoMissText } from '../../i18n/messages.js';
import type { MessageKey, Translator } from '../../i18n/translator.js';
import type { HistoryEntry, Lead, LeadStatus } from '../../leads/lead.js';

/** What the status lines need: the language, the zone, and "now" to drop today's date. */
export interface StatusView {
  t: Translator;
  timeZone: string;
  now?: Date;
}

/** `10:42` for something that happened today, `24 Nov 2026, 10:42` otherwise (and when there is no "now"). */
export function whenText(iso: string, view: StatusView): string {
  const { t, timeZone } = view;
  const day = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(date);
  const today = view.now !== undefined && day(new Date(iso)) === day(view.now);
  return today ? t.formatTime(iso, timeZone) : t.formatDateTime(iso, timeZone);
}

/** The latest change of the given kinds, if the history has one. */
export function latest(lead: Lead, actions: string[]): HistoryEntry | undefined {
  return [...lead.history].reverse().find((entry) => actions.includes(entry.action));
}

/**
 * The badge: the status's one word, as the tab's column, filter and history say it. A claim is an
 * assignment to oneself, so it reads "Assigned"; the line under it says who claimed it.
 */
export function statusLabel(lead: Lead, t: Translator): string {
  if (lead.doNotContact) return t('card.fyi');
  return t(`status.${lead.status}`);
}

/** The owner took the lead themselves (a claim, or assigning it to themselves). */
function selfTaken(lead: Lead): boolean {
  const taken = latest(lead, ['claim', 'assign']);
  return taken !== undefined && taken.by.aadObjectId === lead.owner?.aadObjectId;
}

const closedBy: Partial<Record<LeadStatus, [action: string, key: MessageKey]>> = {
  qualified: ['qualify', 'card.qualifiedBy'],
  opportunity: ['opportunity', 'card.opportunityBy'],
  won: ['won', 'card.wonBy'],
  lost: ['lost', 'card.lostBy'],
};

/**
 * Who has the lead and how they got it, or who moved it to where it is now, with when. Nothing
 * for a do-not-contact or test lead (their banner says what they are) or a disqualified one (its
 * reason line says it).
 */
export function statusLines(lead: Lead, view: StatusView): string[] {
  const { t } = view;
  if (lead.doNotContact || lead.isTest || lead.status === 'disqualified') return [];
  if (!lead.owner) return [lead.autoAssignMiss ? autoMissText(lead.autoAssignMiss, t) : t('card.unassigned')];
  const owner = lead.owner;
  const step = closedBy[lead.status];
  const entry = step ? latest(lead, [step[0]]) : undefined;
  if (step && entry) {
    const line = t(step[1], { name: entry.by.name, time: whenText(entry.at, view) });
    return entry.by.aadObjectId === owner.aadObjectId
      ? [line]
      : [line, t('card.ownedBy', { name: owner.name })];
  }
  const taken = latest(lead, ['claim', 'assign']);
  if (!taken) return [t('card.ownedBy', { name: owner.name })];
  const time = whenText(taken.at, view);
  if (taken.auto)
    return [t('card.assignedAuto', { name: owner.name, how: autoHowText(taken.auto, t), time })];
  return selfTaken(lead)
    ? [t('card.claimedBy', { name: owner.name, time })]
    : [t('card.assignedBy', { name: owner.name, by: taken.by.name, time })];
}
