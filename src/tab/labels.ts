// How a lead's codes read in the user's language, with the card's words.
import { priorityReasonsLine, priorityShortLabel } from '../i18n/priority-words.js';
import type { MessageKey } from '../i18n/translator.js';
import { customerName, LEAD_STATUSES, type LeadStatus } from '../leads/lead.js';
import { PRIORITY_LEVELS, type Priority, type PriorityLevel } from '../leads/priority-levels.js';
import type { TabLead } from './api.js';
import type { Strings } from './strings.js';

export const STATUSES = LEAD_STATUSES;
export const STOREFRONTS = ['AzureMarketplace', 'AppSource', 'AzurePortal', 'TestDrive'] as const;
export const ACTIONS = ['PLT', 'INS', 'StartTestDrive', 'Create', 'DNC'] as const;
export const PRIORITIES = PRIORITY_LEVELS;

// The same words the card uses for each code (src/leads/marketplace-payload.ts picks these keys).
const STOREFRONT_KEY: Record<string, MessageKey> = {
  AppSource: 'storefront.appSource',
  AzureMarketplace: 'storefront.azureMarketplace',
  AzurePortal: 'storefront.azurePortal',
  TestDrive: 'storefront.testDrive',
};
const ACTION_KEY: Record<string, MessageKey> = {
  PLT: 'action.contactMe',
  INS: 'action.getItNow',
  StartTestDrive: 'action.testDrive',
  Create: 'action.create',
  DNC: 'action.doNotContact',
};

export function statusText(s: Strings, status: string | undefined): string {
  return STATUSES.includes(status as LeadStatus) ? s.card(`status.${status as LeadStatus}`) : (status ?? '');
}

export function storefrontText(s: Strings, code: string | undefined): string {
  return s.card(STOREFRONT_KEY[code ?? ''] ?? 'storefront.unknown');
}

export function actionText(s: Strings, code: string | undefined): string {
  return s.card(ACTION_KEY[code ?? ''] ?? 'action.unknown');
}

/** "AppSource · Contact me", as the card's headline. */
export function headline(s: Strings, lead: TabLead): string {
  const storefront = storefrontText(s, lead.source?.storefront);
  const action = actionText(s, lead.source?.action);
  return action.toLowerCase().includes(storefront.toLowerCase()) ? action : `${storefront} · ${action}`;
}

export function nameOf(s: Strings, lead: TabLead): string {
  const name = lead.customer ? customerName(lead.customer) : '';
  return name || s.card('card.noName');
}

export function money(s: Strings, value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(s.intl, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
      value,
    );
  } catch {
    return `${value} ${currency}`;
  }
}

export function dateTime(s: Strings, iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : new Intl.DateTimeFormat(s.intl, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function shortDate(s: Strings, iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : new Intl.DateTimeFormat(s.intl, { day: 'numeric', month: 'short' }).format(date);
}

/** "3 Dec 2026" (with the time when asked), the reader's format. */
export function longDate(s: Strings, iso: string, withTime = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const style = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' };
  return new Intl.DateTimeFormat(s.intl, style as Intl.DateTimeFormatOptions).format(date);
}

/** "5 minutes ago", "yesterday", "há 3 horas" within a week; the date beyond it. */
export function relativeTime(s: Strings, iso: string | undefined, now: Date): string {
  if (!iso) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const minutes = (at - now.getTime()) / 60_000;
  const words = new Intl.RelativeTimeFormat(s.intl, { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return words.format(Math.round(minutes), 'minute');
  if (Math.abs(minutes) < 24 * 60) return words.format(Math.round(minutes / 60), 'hour');
  if (Math.abs(minutes) < 7 * 24 * 60) return words.format(Math.round(minutes / 1440), 'day');
  return longDate(s, iso);
}

/** "12 min", "3 h", "2 d" with the card's words. */
export function duration(s: Strings, minutes: number): string {
  if (minutes < 60) return s.card('summary.minutes', { n: Math.round(minutes) });
  if (minutes < 48 * 60) return s.card('summary.hours', { n: Math.round(minutes / 60) });
  return s.card('summary.daysShort', { n: Math.round(minutes / 1440) });
}

/** The server sends the lead's priority (computed for old leads); an answer without one shows none. */
function priorityOfRow(lead: TabLead): Priority | undefined {
  const priority = (lead as { priority?: Priority }).priority;
  return priority && PRIORITY_LEVELS.includes(priority.level) ? priority : undefined;
}

export function priorityText(s: Strings, level: string): string {
  return PRIORITY_LEVELS.includes(level as PriorityLevel)
    ? priorityShortLabel(level as PriorityLevel, s.card)
    : level;
}

/** "High" and "Contact me · senior title · company e-mail", or nothing for a lead without a priority. */
export function priorityOfLead(
  s: Strings,
  lead: TabLead,
): { level: PriorityLevel; label: string; why: string } | undefined {
  const priority = priorityOfRow(lead);
  if (!priority) return undefined;
  return {
    level: priority.level,
    label: priorityShortLabel(priority.level, s.card),
    why: priorityReasonsLine(priority, s.card),
  };
}
