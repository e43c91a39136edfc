/** A limit: at most `limit` sends in any `windowMs`. */
export interface Window {
  limit: number;
  windowMs: number;
}

/** Teams' documented bot limits per conversation (thread) and per tenant (reference §3). */
export const TEAMS_THREAD_WINDOWS: Window[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1800, windowMs: 3_600_000 },
];
export const TEAMS_TENANT_WINDOWS: Window[] = [{ limit: 50, windowMs: 1_000 }];

/**
 * Sliding-window pacing: `reserve` answers how long to wait before the next send under every
 * window, and books the send only when that is zero. Pacing before sending means a steady burst
 * provokes no 429 at all.
 */
export class RateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly windows: Window[];
  private readonly horizon: number;

  /**
   * `marginMs` widens every window: Teams counts requests when they arrive, and network jitter
   * can bring two sends closer together than they left.
   */
  constructor(windows: Window[], marginMs = 0) {
    this.windows = windows.map((w) => ({ ...w, windowMs: w.windowMs + marginMs }));
    this.horizon = Math.max(...this.windows.map((w) => w.windowMs));
  }

  /** Milliseconds until a send is allowed for `key` (0: allowed, and booked). */
  reserve(key: string, now: number): number {
    const wait = this.waitFor(key, now);
    if (wait === 0) this.book(key, now);
    return wait;
  }

  waitFor(key: string, now: number): number {
    const times = (this.sent.get(key) ?? []).filter((t) => now - t < this.horizon);
    this.sent.set(key, times);
    let wait = 0;
    for (const { limit, windowMs } of this.windows) {
      const inWindow = times.filter((t) => now - t < windowMs);
      if (inWindow.length >= limit) {
        // The oldest send that must leave the window before one more fits.
        const oldest = inWindow[inWindow.length - limit] ?? now;
        wait = Math.max(wait, oldest + windowMs - now);
      }
    }
    return wait;
  }

  /** Kept in time order (waitFor relies on it), also for sends read back from other instances late. */
  book(key: string, now: number): void {
    const times = this.sent.get(key) ?? [];
    let at = times.length;
    while (at > 0 && (times[at - 1] ?? 0) > now) at--;
    times.splice(at, 0, now);
    this.sent.set(key, times);
  }

  /** Takes back a booking (one send at `at`), e.g. to book it again at the time it really left. */
  unbook(key: string, at: number): void {
    const times = this.sent.get(key) ?? [];
    const index = times.indexOf(at);
    if (index >= 0) times.splice(index, 1);
  }
}
