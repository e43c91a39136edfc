import { addDays, startOfDay } from './period.js';

export interface BusinessHours {
  /** Minutes after local midnight. */
  start: number;
  end: number;
  /** 0 = Sunday … 6 = Saturday. */
  days: number[];
  timeZone: string;
}

const MAX_DAYS = 400;

/**
 * Working minutes between two instants: only the business hours of business days count.
 * With `atLeast`, it stops counting once that many are reached (enough to decide a reminder).
 */
export function businessMinutesBetween(
  from: Date,
  to: Date,
  hours: BusinessHours,
  atLeast = Number.POSITIVE_INFINITY,
): number {
  if (to <= from) return 0;
  let total = 0;
  let day = startOfDay(from, hours.timeZone);
  for (let i = 0; i < MAX_DAYS && day < to; i++) {
    if (hours.days.includes(localWeekday(day, hours.timeZone))) {
      const open = day.getTime() + hours.start * 60_000;
      const close = day.getTime() + hours.end * 60_000;
      const overlap = Math.min(close, to.getTime()) - Math.max(open, from.getTime());
      if (overlap > 0) total += overlap / 60_000;
      if (total >= atLeast) return total;
    }
    day = addDays(day, 1, hours.timeZone);
  }
  return total;
}

export function businessMinutesPerDay(hours: BusinessHours): number {
  return hours.end - hours.start;
}

const weekdayFormats = new Map<string, Intl.DateTimeFormat>();

function localWeekday(midnight: Date, timeZone: string): number {
  let format = weekdayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone });
    weekdayFormats.set(timeZone, format);
  }
  const name = format.format(new Date(midnight.getTime() + 12 * 3600_000));
  return ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(name);
}
