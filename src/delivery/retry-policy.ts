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

export function retryDelayMs(error: unknown, attempts: number, policy: RetryPolicy): number {
  // Teams' Retry-After is honoured as given (an hour at most), not shortened to our backoff cap.
  const retryAfter = retryAfterMs(error);
  if (retryAfter !== undefined) return Math.min(retryAfter, MAX_RETRY_AFTER_MS);
  const exponential = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  // Full jitter keeps many stalled channels from retrying in lock-step.
  return Math.round(exponential / 2 + (policy.random() * exponential) / 2);
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  if (statusOf(error) !== 429) return undefined;
  const headers = (error as { response?: { headers?: { get?: (name: string) => string | undefined } } })
    .response?.headers;
  const value = headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** 403 (bot removed from the team, blocked) and 404 (channel or chat gone) do not heal by waiting. */
export function isPermanent(error: unknown): boolean {
  const status = statusOf(error);
  return status === 403 || status === 404;
}
