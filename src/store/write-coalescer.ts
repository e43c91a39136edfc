/**
 * Group commit: while one write is on its way to disk, every change that asks to be persisted
 * waits for a single next write that covers them all. One fsync serves a burst of leads.
 */
export class WriteCoalescer {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly write: () => Promise<void>) {}

  persist(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) {
      this.running = this.write().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.persist();
      });
    return this.queued;
  }

  /** Resolves once nothing is being written. */
  async idle(): Promise<void> {
    while (this.running || this.queued) {
      await (this.queued ?? this.running)?.catch(() => undefined);
    }
  }
}
