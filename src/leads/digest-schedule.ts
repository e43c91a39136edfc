import { addDays, type Period, startOfDay } from './period.js';

export interface Schedule {
  cadence: 'daily' | 'weekly';
  /** "HH:MM", local time in the zone. */
  time: string;
}

/** "8:30" / "08:30" → "08:30"; anything else → undefined. */
export function parseTime(text: string): string | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return match ? `${match[1]?.padStart(2, '0')}:${match[2]}` : undefined;
}

/** The most recent moment the digest was due, at or before `now` (weekly: Mondays). */
export function latestDue(schedule: Schedule, now: Date, timeZone: string): Date {
  const [hours = 0, minutes = 0] = schedule.time.split(':').map(Number);
  const at = (day: Date) => new Date(day.getTime() + (hours * 60 + minutes) * 60_000);
  let day = startOfDay(now, timeZone);
  if (at(day) > now) day = addDays(day, -1, timeZone);
  if (schedule.cadence === 'weekly') {
    while (weekday(day, timeZone) !== 'Mon') day = addDays(day, -1, timeZone);
  }
  return at(day);
}

/** What a digest due at `due` covers: the day before (daily) or the 7 days before (weekly). */
export function digestPeriod(schedule: Schedule, due: Date, timeZone: string): Period {
  const end = startOfDay(due, timeZone);
  const days = schedule.cadence === 'daily' ? 1 : 7;
  const from = addDays(end, -days, timeZone);
  // Daily: the date itself ("2026-11-23"); weekly: "7d".
  const label = days === 1 ? localDate(from, timeZone) : '7d';
  return { from, to: end, label };
}

function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

function weekday(instant: Date, timeZone: string): string {
  // Noon of that day: the weekday cannot shift with the zone's offset.
  return new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone }).format(
    new Date(instant.getTime() + 12 * 3600_000),
  );
}
