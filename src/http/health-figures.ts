// What /healthz knows without asking the store: the figures and health of the last refresh that
// answered, and how long ago. Refreshes run in the background (a timer, and each /healthz call)
// and one at a time; one that takes longer than `timeoutMs` makes the answer `degraded` at once
// and is left to finish on its own while a new one starts (at most a few are left hanging).
import type { LeadStore, StoreHealth, StoreStats } from '../leads/store.js';
import { describeError, inBackground } from '../log.js';

export interface HealthTiming {
  /** A refresh not answered within this long counts as the store not answering. */
  timeoutMs: number;
  /** How long /healthz waits for the refresh it started before answering from what it knows. */
  answerWithinMs: number;
  /** Figures older than this are stale (degraded), whatever they said. */
  staleAfterMs: number;
  /** How often the figures are refreshed while nobody asks. */
  everyMs: number;
}

export const HEALTH_TIMING: HealthTiming = {
  timeoutMs: 3_000,
  answerWithinMs: 500,
  staleAfterMs: 60_000,
  everyMs: 10_000,
};

/** Refreshes left running after their timeout, at most; beyond that no new one starts until one ends. */
const MAX_ABANDONED = 3;

export interface HealthSources {
  store: Pick<LeadStore, 'stats' | 'health'>;
  events?: { health(): Promise<unknown> } | undefined;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  reason?: string;
  since?: string;
  /** When the store last answered a refresh, and how long ago (null: not yet). */
  storeAnsweredAt: string | null;
  storeAnsweredSecondsAgo: number | null;
  stats?: StoreStats;
  events?: unknown;
}

interface Known {
  at: number;
  stats: StoreStats;
  health: StoreHealth;
  events: unknown;
}

export class HealthFigures {
  private known: Known | undefined;
  private failure: { reason: string; since: number } | undefined;
  private current: { since: number; done: Promise<void> } | undefined;
  private abandoned = 0;
  /** When the refresh that last ended (answered or failed) started. */
  private settledSince = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sources: HealthSources,
    private readonly timing: HealthTiming = HEALTH_TIMING,
    private readonly now: () => number = Date.now,
  ) {}

  /** Refreshes every `everyMs` until stopped; the timer keeps no process alive. */
  start(): void {
    if (this.timer) return;
    void this.refresh();
    this.timer = inBackground(() => setInterval(() => void this.refresh(), this.timing.everyMs));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Starts a refresh (unless one younger than the timeout runs) and resolves when it ends. */
  refresh(): Promise<void> {
    const now = this.now();
    if (this.current && now - this.current.since <= this.timing.timeoutMs) return this.current.done;
    if (this.current) {
      if (this.abandoned >= MAX_ABANDONED) return this.current.done;
      this.abandoned++;
      const left = this.current.done;
      void left.finally(() => this.abandoned--);
    }
    const attempt = { since: now, done: Promise.resolve() };
    attempt.done = inBackground(() => this.read(attempt.since)).finally(() => {
      if (this.current === attempt) this.current = undefined;
    });
    this.current = attempt;
    return attempt.done;
  }

  /**
   * The report, from a refresh started no earlier than this call if one ends within `withinMs`
   * (a refresh already running may predate a change the caller made), else from what is known.
   */
  async answer(withinMs: number): Promise<HealthReport> {
    const asked = this.now();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), withinMs);
    });
    for (let round = 0; round < 2 && this.settledSince < asked; round++) {
      if (!(await Promise.race([this.refresh().then(() => true), late]))) break;
    }
    clearTimeout(timer);
    return this.report();
  }

  /** What is known now; never waits. */
  report(): HealthReport {
    const now = this.now();
    const known = this.known;
    const answered = {
      storeAnsweredAt: known ? new Date(known.at).toISOString() : null,
      storeAnsweredSecondsAgo: known ? Math.round((now - known.at) / 1000) : null,
      ...(known ? { stats: known.stats, events: known.events } : {}),
    };
    const degraded = (reason: string, since: number) => ({
      status: 'degraded' as const,
      reason,
      since: new Date(since).toISOString(),
      ...answered,
    });
    const waiting = this.current ? now - this.current.since : 0;
    if (waiting > this.timing.timeoutMs)
      return degraded(
        `The store has not answered for ${Math.round(waiting / 1000)} s.`,
        this.current?.since ?? now,
      );
    if (this.failure) return degraded(this.failure.reason, this.failure.since);
    if (!known) return degraded('No figures from the store yet.', now);
    if (known.health.status === 'degraded') return { ...known.health, ...answered };
    if (now - known.at > this.timing.staleAfterMs)
      return degraded(`The store's figures are ${Math.round((now - known.at) / 1000)} s old.`, known.at);
    return { status: 'ok', ...answered };
  }

  private async read(since: number): Promise<void> {
    try {
      await this.readFigures(since);
    } finally {
      this.settledSince = Math.max(this.settledSince, since);
    }
  }

  private async readFigures(since: number): Promise<void> {
    try {
      const { store, events } = this.sources;
      const [stats, health, eventsHealth] = await Promise.all([
        store.stats(),
        store.health(),
        events?.health(),
      ]);
      if (this.known && this.known.at > since) return; // a later refresh answered first
      this.known = { at: this.now(), stats, health, events: eventsHealth };
      this.failure = undefined;
    } catch (error) {
      if (this.known && this.known.at > since) return;
      // Only the start of the message: enough to tell a refused connection from a full disk.
      const reason = `The store's figures could not be read: ${describeError(error).slice(0, 200)}`;
      this.failure = { reason, since: this.failure?.since ?? since };
    }
  }
}
