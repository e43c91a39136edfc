import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Coordination } from '../leads/store.js';
import { describeError, type Logger } from '../log.js';

/** What runs on one instance at a time: started when this instance takes the lease, stopped when it loses it. */
export interface BackgroundWork {
  start(): Promise<void>;
  /** Resolves once nothing of it runs any more (what is in flight finishes). */
  stop(): Promise<void>;
}

export interface LeaderLeaseOptions {
  store: Pick<Coordination, 'acquireLease' | 'releaseLease'>;
  work: BackgroundWork;
  ttlMs: number;
  log: Logger;
  /** Called on each renewal while leading (about every third of the ttl). */
  onRenew?: () => void;
  name?: string;
  holder?: string;
  now?: () => Date;
}

/** This process, told apart from a restarted one with the same pid on the same host. */
export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * Background work runs only while this instance holds lease `background` in the store: renewed
 * every third of its ttl, and asked for by the others every tenth, so a dead leader is replaced
 * within 1.1 ttl. The work stops as
 * soon as the lease is lost, and before it would lapse when the store cannot be reached to renew
 * it, so two instances never both run it. A clean stop gives the lease up at once.
 */
export class LeaderLease {
  readonly holder: string;
  private readonly name: string;
  private readonly now: () => Date;
  private readonly renewMs: number;
  /** How often an instance that does not hold the lease looks whether it lapsed. */
  private readonly pollMs: number;
  /** When this instance last asked the store for the lease. */
  private lastAsked = 0;
  /** Stop the work this long before the lease lapses when renewing fails: another may take it then. */
  private readonly marginMs: number;
  private leading = false;
  /** Local time the lease lapses unless renewed (counted from when the renewal was asked). */
  private heldUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> | undefined;
  /** Starts and stops of the work, one after the other. */
  private transitions: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: LeaderLeaseOptions) {
    this.holder = options.holder ?? newHolderId();
    this.name = options.name ?? 'background';
    this.now = options.now ?? (() => new Date());
    this.renewMs = Math.max(250, Math.floor(options.ttlMs / 3));
    // A lapsed lease is taken within a tenth of the ttl, not a third: 33 s after a crash, not 40.
    this.pollMs = Math.max(250, Math.floor(options.ttlMs / 10));
    this.marginMs = Math.min(5000, Math.floor(options.ttlMs / 6));
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Tries for the lease at once (resolves when that try and any start are done), then keeps trying. */
  async start(): Promise<void> {
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
    await this.tick();
  }

  /** Stops the work, then gives the lease up so another instance takes over without waiting for it to lapse. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // Not waiting for a renewal in flight (it may hang on the store): one finishing now changes
    // nothing (`stopped`), and the stop below is queued after any start it made.
    await this.change(false, 'this instance is stopping');
    // Also when not leading: a renewal may have taken it as the stop began (a conditional no-op otherwise).
    await this.options.store.releaseLease(this.name, this.holder).catch((error) =>
      this.options.log.warn('lease not released; another instance takes over once it lapses', {
        error: describeError(error),
      }),
    );
  }

  private tick(): Promise<void> {
    // A renewal hanging in the store must not outlive the lease: stop the work in time.
    if (this.leading && Date.now() >= this.heldUntil - this.marginMs)
      void this.change(false, 'the lease could not be renewed in time');
    // The holder renews every third of the ttl; the others ask at every poll.
    if (this.leading && Date.now() - this.lastAsked < this.renewMs) return this.attempt ?? Promise.resolve();
    this.attempt ??= this.renew().finally(() => {
      this.attempt = undefined;
    });
    return this.attempt;
  }

  private async renew(): Promise<void> {
    const askedAt = Date.now();
    this.lastAsked = askedAt;
    let held: boolean;
    try {
      held = await this.options.store.acquireLease(this.name, this.holder, this.options.ttlMs, this.now());
    } catch (error) {
      this.options.log.warn('lease not renewed: the store did not answer', { error: describeError(error) });
      if (this.leading && Date.now() >= this.heldUntil - this.marginMs)
        await this.change(false, 'the lease could not be renewed in time');
      return;
    }
    if (this.stopped) return;
    if (!held) {
      if (this.leading) await this.change(false, 'another instance holds the lease');
      return;
    }
    this.heldUntil = askedAt + this.options.ttlMs;
    if (this.leading) this.options.onRenew?.();
    else await this.change(true, 'this instance took the lease');
  }

  /** Starts or stops the work, in order, once per change. */
  private change(lead: boolean, reason: string): Promise<void> {
    this.transitions = this.transitions.then(async () => {
      if (this.leading === lead) return;
      this.leading = lead;
      const { log, work } = this.options;
      log.info(lead ? 'background work starts here' : 'background work stops here', {
        reason,
        holder: this.holder,
      });
      try {
        await (lead ? work.start() : work.stop());
      } catch (error) {
        log.error(lead ? 'background work did not start' : 'background work did not stop cleanly', {
          error: describeError(error),
        });
        // Half started (the store failed for a moment) is not leading: stop what did start and give
        // the lease up, so this instance or another takes it again at the next renewal and starts afresh.
        if (lead) {
          this.leading = false;
          await work.stop().catch(() => undefined);
          await this.options.store.releaseLease(this.name, this.holder).catch(() => undefined);
        }
      }
    });
    return this.transitions;
  }
}
