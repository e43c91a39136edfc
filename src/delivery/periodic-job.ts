/**
 * A job that runs every `intervalMs` (and once at start), never twice at the same time; `run()`
 * runs it now and resolves with its result (tests drive it that way with an injected clock).
 */
export class PeriodicJob<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly job: () => Promise<T>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    const tick = () => {
      this.run().catch(this.onError);
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  run(): Promise<T> {
    this.running ??= this.job().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
