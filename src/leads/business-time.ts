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

/** Working minutes between two instants: only the business hours of business days count. */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHours): number {
  if (to <= from) return 0;
  let total = 0;
  let day = startOfDay(from, hours.timeZone);
  for (let i = 0; i < MAX_DAYS && day < to; i++) {
    if (hours.days.includes(localWeekday(day, hours.timeZone))) {
      const open = day.getTime() + hours.start * 60_000;
      const close = day.getTime() + hours.end * 60_000;
      const overlap = Math.min(close, to.getTime()) - Math.max(open, from.getTime());
      if (overlap > 0) total += overlap / 60_000;
    }
    day = addDays(day, 1, hours.timeZone);
  }
  return total;
}

export function businessMinutesPerDay(hours: BusinessHours): number {
  return hours.end - hours.start;
}

function localWeekday(midnight: Date, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone }).format(
    new Date(midnight.getTime() + 12 * 3600_000),
  );
  return ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(name);
}
