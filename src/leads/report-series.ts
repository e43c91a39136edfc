// The series a manager's charts draw, from the same leads and figures as the summary
// (reports.ts): one computation, so the tab's charts and the `summary` command agree.
import type { Lead, Storefront } from './lead.js';
import type { Period } from './period.js';
import { firstTouchMinutes, reportedLeads, type Summary, summarize } from './reports.js';

export interface ReportSeries {
  /** Received, then how many reached each stage. */
  funnel: Array<{ stage: 'received' | 'assigned' | 'qualified' | 'opportunity' | 'won'; count: number }>;
  /** Monday-based weeks (in the time zone) from the period's start, leads per storefront. */
  perWeek: Array<{ weekStart: string; byStorefront: Partial<Record<Storefront, number>> }>;
  /** How long leads waited for a first touch: counts up to each limit (minutes; null = beyond). */
  firstTouch: Array<{ upToMinutes: number | null; count: number }>;
}

const TOUCH_LIMITS = [15, 60, 240, 24 * 60, 3 * 24 * 60];

export function summarizeWithSeries(
  all: Lead[],
  period: Period,
  timeZone: string,
  offer?: string,
): { summary: Summary; series: ReportSeries } {
  const summary = summarize(all, period, offer);
  const { leads } = reportedLeads(all, period, offer);
  return {
    summary,
    series: {
      funnel: funnelSeries(summary),
      perWeek: perWeek(leads, period, timeZone),
      firstTouch: touchBuckets(leads),
    },
  };
}

export function funnelSeries(summary: Summary): ReportSeries['funnel'] {
  return [
    { stage: 'received', count: summary.received },
    { stage: 'assigned', count: summary.funnel.assigned },
    { stage: 'qualified', count: summary.funnel.qualified },
    { stage: 'opportunity', count: summary.funnel.opportunity },
    { stage: 'won', count: summary.funnel.won },
  ];
}

function perWeek(leads: Lead[], period: Period, timeZone: string): ReportSeries['perWeek'] {
  const dayOf = localDay(timeZone);
  const weeks = emptyWeeks(period, timeZone);
  for (const lead of leads) {
    const week = mondayOf(dayOf(lead.receivedAt));
    const counts = weeks.get(week) ?? {};
    counts[lead.source.storefront] = (counts[lead.source.storefront] ?? 0) + 1;
    weeks.set(week, counts);
  }
  return weekList(weeks);
}

/** Every week of the period, empty ones too, so a chart's axis has no gaps. */
export function emptyWeeks(
  period: Period,
  timeZone: string,
): Map<string, Partial<Record<Storefront, number>>> {
  const dayOf = localDay(timeZone);
  const weeks = new Map<string, Partial<Record<Storefront, number>>>();
  const last = mondayOf(dayOf(new Date(period.to.getTime() - 1).toISOString()));
  for (let week = mondayOf(dayOf(period.from.toISOString())); week <= last; week = shiftDay(week, 7))
    weeks.set(week, {});
  return weeks;
}

export function weekList(weeks: Map<string, Partial<Record<Storefront, number>>>): ReportSeries['perWeek'] {
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([weekStart, byStorefront]) => ({ weekStart, byStorefront }));
}

function touchBuckets(leads: Lead[]): ReportSeries['firstTouch'] {
  return bucketTouches(leads.map(firstTouchMinutes).filter((m): m is number => m !== undefined));
}

/** Times to first touch (minutes) counted up to each limit. */
export function bucketTouches(minutes: Iterable<number>): ReportSeries['firstTouch'] {
  const buckets: ReportSeries['firstTouch'] = [
    ...TOUCH_LIMITS.map((upToMinutes) => ({ upToMinutes, count: 0 })),
    { upToMinutes: null, count: 0 },
  ];
  for (const m of minutes) {
    const bucket = buckets.find((b) => b.upToMinutes === null || m <= b.upToMinutes);
    if (bucket) bucket.count++;
  }
  return buckets;
}

/** ISO instant → its calendar day in the zone (`YYYY-MM-DD`), cached per minute: 100k leads, few minutes. */
export function localDay(timeZone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const cache = new Map<string, string>();
  return (iso) => {
    // Canonical UTC times (all we write) share a day within a minute; anything else is formatted.
    if (iso.length !== 24 || !iso.endsWith('Z')) return format.format(new Date(iso));
    const key = iso.slice(0, 16);
    let day = cache.get(key);
    if (day === undefined) {
      day = format.format(new Date(iso));
      cache.set(key, day);
    }
    return day;
  };
}

export function shiftDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return shiftDay(day, -((weekday + 6) % 7));
}
