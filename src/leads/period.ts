// Report periods in the configured time zone, without a date library: Intl gives the wall-clock
// parts of an instant, from which the zone's offset at that instant follows.

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** What was asked, normalised (e.g. "week", "30d", "2026-11-01..2026-11-15"). */
  label: string;
}

/**
 * Whether a lead arrived in [from, to). Canonical ISO times (all we write) order as text, a third
 * of the cost of parsing 100k dates; anything else is parsed.
 */
export function receivedIn(from: Date, to: Date): (lead: { receivedAt: string }) => boolean {
  const fromText = from.toISOString();
  const toText = to.toISOString();
  return ({ receivedAt }) => {
    if (receivedAt.length === 24 && receivedAt.endsWith('Z'))
      return receivedAt >= fromText && receivedAt < toText;
    const at = Date.parse(receivedAt);
    return at >= from.getTime() && at < to.getTime();
  };
}

const MAX_DAYS = 3660;

/** `today`, `week` (last 7 days), `month` (last 30), `Nd`, or `YYYY-MM-DD..YYYY-MM-DD`; default week. */
export function parsePeriod(text: string, now: Date, timeZone: string): Period | undefined {
  const word = text.trim().toLowerCase() || 'week';
  const today = startOfDay(now, timeZone);
  const daysBack = (n: number, label: string): Period => ({
    from: addDays(today, -(n - 1), timeZone),
    to: now,
    label,
  });
  if (word === 'today') return { from: today, to: now, label: 'today' };
  if (word === 'week') return daysBack(7, 'week');
  if (word === 'month') return daysBack(30, 'month');
  const days = /^(\d{1,4})d$/.exec(word);
  if (days) {
    const n = Number(days[1]);
    return n >= 1 && n <= MAX_DAYS ? daysBack(n, `${n}d`) : undefined;
  }
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(word);
  if (range?.[1] && range[2]) {
    const from = zonedMidnight(range[1], timeZone);
    const lastDay = zonedMidnight(range[2], timeZone);
    if (!from || !lastDay || lastDay < from) return undefined;
    return { from, to: addDays(lastDay, 1, timeZone), label: `${range[1]}..${range[2]}` };
  }
  return undefined;
}

/** Every lead, for the tab's "All time": asks the store from the epoch. */
export function allTime(now: Date): Period {
  return { from: new Date(0), to: now, label: 'all' };
}

/** "All time" as shown: from the day the first lead arrived, so a week chart starts there, not in 1970. */
export function allTimeOf(leads: ReadonlyArray<{ receivedAt: string }>, now: Date, timeZone: string): Period {
  const first = Math.min(now.getTime(), ...leads.map((lead) => Date.parse(lead.receivedAt) || now.getTime()));
  return { from: startOfDay(new Date(first), timeZone), to: now, label: 'all' };
}

/** Midnight of the day `instant` falls on, in the zone. */
export function startOfDay(instant: Date, timeZone: string): Date {
  const p = parts(instant, timeZone);
  return zonedMidnight(`${p.year}-${p.month}-${p.day}`, timeZone) as Date;
}

export function addDays(midnight: Date, days: number, timeZone: string): Date {
  const p = parts(new Date(midnight.getTime() + 12 * 3600_000), timeZone); // noon: safe across DST
  const date = new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day) + days));
  return zonedMidnight(date.toISOString().slice(0, 10), timeZone) as Date;
}

/** The instant when `YYYY-MM-DD` starts in the zone. */
export function zonedMidnight(isoDate: string, timeZone: string): Date | undefined {
  const utc = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== isoDate) return undefined;
  let guess = utc - offsetMs(new Date(utc), timeZone);
  guess = utc - offsetMs(new Date(guess), timeZone); // second pass settles DST edges
  return new Date(guess);
}

function offsetMs(instant: Date, timeZone: string): number {
  const p = parts(instant, timeZone);
  const wall = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour) % 24,
    Number(p.minute),
    Number(p.second),
  );
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

// Building an Intl formatter costs far more than using one: one per zone, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(instant: Date, timeZone: string): Record<string, string> {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
}
