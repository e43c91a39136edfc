/** How long to wait before trying a failed post again. Nothing is ever given up on. */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

export const defaultRetryPolicy: RetryPolicy = {
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60 * 1000,
  random: Math.random,
};

/**
 * The one backoff, for cards and lead events alike: exponential from `baseDelayMs`, capped, with
 * full jitter so many stalled channels or leads do not retry in lock-step. A Retry-After the other
 * side sent is honoured as given (an hour at most), not shortened to our cap.
 */
export function backoffMs(attempts: number, policy: RetryPolicy, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  const exponential = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return Math.round(exponential / 2 + (policy.random() * exponential) / 2);
}

/** Retry-After as seconds or an HTTP date, in ms from `now`; an hour at most. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isNaN(ms) ? undefined : Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/** How long a failed Teams call waits: Teams' Retry-After on a 429, else the backoff. */
export function retryDelayMs(error: unknown, attempts: number, policy: RetryPolicy): number {
  return backoffMs(attempts, policy, retryAfterMs(error));
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  if (statusOf(error) !== 429) return undefined;
  const headers = (error as { response?: { headers?: { get?: (name: string) => string | undefined } } })
    .response?.headers;
  return parseRetryAfter(headers?.get?.('retry-after'), Date.now());
}

/** 403 (bot removed from the team, blocked) and 404 (channel or chat gone) do not heal by waiting. */
export function isPermanent(error: unknown): boolean {
  const status = statusOf(error);
  return status === 403 || status === 404;
}
