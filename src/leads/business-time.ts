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
  let day = localMidnight(from, hours.timeZone);
  for (let i = 0; i < MAX_DAYS && day < to; i++) {
    const { weekday, next } = calendarDay(day, hours.timeZone);
    if (hours.days.includes(weekday)) {
      const open = day.getTime() + hours.start * 60_000;
      const close = day.getTime() + hours.end * 60_000;
      const overlap = Math.min(close, to.getTime()) - Math.max(open, from.getTime());
      if (overlap > 0) total += overlap / 60_000;
      if (total >= atLeast) return total;
    }
    day = next;
  }
  return total;
}

export function businessMinutesPerDay(hours: BusinessHours): number {
  return hours.end - hours.start;
}

const weekdayFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * Weekday and next midnight of a local midnight, remembered: the reminder sweep walks the same
 * few dozen days for thousands of leads, and each Intl call costs microseconds.
 */
const calendar = new Map<string, { weekday: number; next: Date }>();
const midnights = new Map<string, Date>();
const CALENDAR_SIZE = 5000;

/** Local midnight before an instant; the local date cannot change inside a 15-minute UTC slot. */
function localMidnight(instant: Date, timeZone: string): Date {
  const slot = Math.floor(instant.getTime() / 900_000);
  const key = `${timeZone}|slot|${slot}`;
  let found = midnights.get(key);
  if (!found) {
    if (midnights.size >= CALENDAR_SIZE) midnights.clear();
    found = startOfDay(new Date(slot * 900_000), timeZone);
    midnights.set(key, found);
  }
  return found;
}

function calendarDay(midnight: Date, timeZone: string): { weekday: number; next: Date } {
  const key = `${timeZone}|${midnight.getTime()}`;
  let day = calendar.get(key);
  if (!day) {
    if (calendar.size >= CALENDAR_SIZE) calendar.clear();
    day = { weekday: localWeekday(midnight, timeZone), next: addDays(midnight, 1, timeZone) };
    calendar.set(key, day);
  }
  return day;
}

function localWeekday(midnight: Date, timeZone: string): number {
  let format = weekdayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone });
    weekdayFormats.set(timeZone, format);
  }
  const name = format.format(new Date(midnight.getTime() + 12 * 3600_000));
  return ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(name);
}
