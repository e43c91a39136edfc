/** How the event sender waits and when it gives up; injected, so tests need not wait a day. */
export interface EventRetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** An event failing this long since its first failure is given up on (marked failed). */
  giveUpAfterMs: number;
  /** Per request: a receiver that does not answer within this is treated as down. */
  timeoutMs: number;
  random: () => number;
}

export const defaultEventRetryPolicy: EventRetryPolicy = {
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60 * 1000,
  giveUpAfterMs: 24 * 60 * 60 * 1000,
  timeoutMs: 10_000,
  random: Math.random,
};

const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** What one POST came to. */
export type SendOutcome =
  | { kind: 'delivered'; status: number }
  /** 410 Gone: the receiver says it is gone for good; the endpoint stops. */
  | { kind: 'gone'; status: number }
  /** Other 4xx: this event will never be taken; the next one goes. */
  | { kind: 'refused'; status: number; error: string }
  /** Timeout, network error, 3xx, 408, 429, 5xx: try again later. */
  | { kind: 'retry'; status?: number; error: string; retryAfterMs?: number };

export function classifyStatus(status: number, retryAfter: string | null, now: number): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 410) return { kind: 'gone', status };
  if (status === 408 || status === 429 || status >= 500 || status < 200 || (status >= 300 && status < 400)) {
    const wait = parseRetryAfter(retryAfter, now);
    return {
      kind: 'retry',
      status,
      error: `HTTP ${status}`,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    };
  }
  return { kind: 'refused', status, error: `HTTP ${status}` };
}

/** Retry-After as seconds or an HTTP date; an hour at most. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isNaN(ms) ? undefined : Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/** Exponential backoff with full jitter (many leads do not retry in lock-step); Retry-After wins. */
export function eventRetryDelayMs(attempts: number, policy: EventRetryPolicy, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const exponential = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return Math.round(exponential / 2 + (policy.random() * exponential) / 2);
}
