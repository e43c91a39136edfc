import { backoffMs, parseRetryAfter, type RetryPolicy } from '../delivery/retry-policy.js';

/** How the event sender waits (the outbox's backoff) and when it gives up; injected, so tests need not wait a day. */
export interface EventRetryPolicy extends RetryPolicy {
  /** An event failing this long since its first failure is given up on (marked failed). */
  giveUpAfterMs: number;
  /** Per request: a receiver that does not answer within this is treated as down. */
  timeoutMs: number;
}

export const defaultEventRetryPolicy: EventRetryPolicy = {
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60 * 1000,
  giveUpAfterMs: 24 * 60 * 60 * 1000,
  timeoutMs: 10_000,
  random: Math.random,
};

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

/** The outbox's backoff (delivery/retry-policy.ts); the receiver's Retry-After wins. */
export const eventRetryDelayMs = backoffMs;
