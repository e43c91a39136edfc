// The one kick/drain loop behind the outbox and each lead-event sender: a kick runs `drain` now, or
// once more right after the run in progress; a run that ends schedules the next one; listeners
// hear when it is idle. Runs are background work: their log lines belong to no request.
import { inBackground } from '../log.js';

export interface DrainLoopDeps {
  /** Does what is due now. */
  drain(): Promise<void>;
  /** A run failed (it is logged, and the loop goes on). */
  failed(error: unknown): void;
  /** After a run with nothing kicked meanwhile: arm the timer for the next due work. */
  scheduleNext(): Promise<void>;
  /** Scheduling failed (the store blinked): the periodic sweep kicks the loop again. */
  scheduleFailed(error: unknown): void;
  /** False while the loop must not run (stopped, paused, halted). */
  mayRun(): boolean;
}

export class DrainLoop {
  private running: Promise<void> | undefined;
  private again = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: DrainLoopDeps) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The run in progress, if any (a stop waits for it). */
  get current(): Promise<void> | undefined {
    return this.running;
  }

  /** Something may be due: run now (or right after the current run). */
  kick(): void {
    if (!this.deps.mayRun()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // Background work: its lines belong to no request, even when a request's answer kicked it. The
    // whole chain starts outside the scope: its handlers and timers inherit where they were made.
    this.running = inBackground(() =>
      this.deps
        .drain()
        .catch((error) => this.deps.failed(error))
        .finally(() => {
          this.running = undefined;
          if (this.again) {
            this.again = false;
            this.kick();
            return;
          }
          // A store that fails here (Azure unreachable for a moment) must not end the process.
          void this.deps
            .scheduleNext()
            .catch((error) => this.deps.scheduleFailed(error))
            .finally(() => this.notifyIdle());
        }),
    );
  }

  /** Resolves the next time the loop has nothing left to do right now. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      const listener = () => {
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
  }

  private notifyIdle(): void {
    if (this.running) return;
    for (const listener of [...this.listeners]) listener();
  }
}
