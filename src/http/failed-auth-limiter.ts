/**
 * Counts failed webhook authentications per source address in a sliding minute. Only failures
 * are limited: a lead with a valid key is never refused, since Partner Center does not retry.
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 20,
    private readonly windowMs = 60_000,
    private readonly maxSources = 10_000,
  ) {}

  /** Records a failure; returns the seconds to wait when the source is over the limit. */
  fail(source: string, now: number): number | undefined {
    const recent = (this.failures.get(source) ?? []).filter((at) => now - at < this.windowMs);
    recent.push(now);
    this.failures.delete(source); // re-insert: Map order is then least recently failed first
    this.failures.set(source, recent);
    if (this.failures.size > this.maxSources) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    if (recent.length <= this.maxFailures) return undefined;
    const first = recent[recent.length - this.maxFailures - 1] ?? now;
    return Math.max(1, Math.ceil((first + this.windowMs - now) / 1000));
  }
}
