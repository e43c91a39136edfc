// Every call to Azure goes through here: transient failures (500, 503, timeouts, a connection
// refused or reset) are tried again with backoff within a bounded time, then reported as
// StorageUnavailableError (the webhook answers 503 with Retry-After); the store's health follows.
import { StorageUnavailableError } from '../../errors.js';
import { describeError } from '../../log.js';

export interface CallOptions {
  /** Tries in all (the first included). */
  tries?: number;
  /** Per try, instead of the policy's (a page of a query carries up to 1,000 leads). */
  tryTimeoutMs?: number;
}

/** A call gets an abort signal (its timeout) and which try this is (1 = first). */
export type Call<T> = (signal: AbortSignal, attempt: number) => Promise<T>;

export interface RetryPolicy {
  tries: number;
  /** Per try: a request Azure does not answer in this time is abandoned and tried again. */
  tryTimeoutMs: number;
  /** Waits between tries (the last repeats). */
  backoffMs: number[];
}

/** About 1.5 s of waiting and at most ~14 s in all for a write, well inside Partner Center's patience. */
export const DEFAULT_RETRY: RetryPolicy = { tries: 4, tryTimeoutMs: 3_000, backoffMs: [100, 400, 1_000] };
/** A page of a query: up to 1,000 entities of up to 1 MiB, so more time per try. */
export const PAGE_TIMEOUT_MS = 30_000;

export class TableCalls {
  private failure: { reason: string; since: string } | undefined;
  private lastSuccess = 0;

  constructor(private readonly policy: RetryPolicy = DEFAULT_RETRY) {}

  async run<T>(call: Call<T>, options: CallOptions = {}): Promise<T> {
    const tries = options.tries ?? this.policy.tries;
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await call(
          AbortSignal.timeout(options.tryTimeoutMs ?? this.policy.tryTimeoutMs),
          attempt,
        );
        this.succeeded();
        return value;
      } catch (error) {
        if (!isTransient(error)) {
          // Azure answered (404, 409, 412, 400 …): it is reachable, and the caller decides.
          if (statusOf(error) !== undefined) this.succeeded();
          throw error;
        }
        if (attempt >= tries) throw this.unavailable(error);
        const wait = this.policy.backoffMs[Math.min(attempt - 1, this.policy.backoffMs.length - 1)] ?? 0;
        await new Promise((resolve) => setTimeout(resolve, wait * (0.75 + Math.random() / 2)));
      }
    }
  }

  /** Undefined while Azure answers; the first failure of the current outage otherwise. */
  get degraded(): { reason: string; since: string } | undefined {
    return this.failure;
  }

  /** Milliseconds since Azure last answered. */
  get quietForMs(): number {
    return Date.now() - this.lastSuccess;
  }

  private succeeded(): void {
    this.failure = undefined;
    this.lastSuccess = Date.now();
  }

  private unavailable(error: unknown): StorageUnavailableError {
    const reason = `Azure Table storage is unreachable or failing (${describeAzureError(error)})`;
    this.failure ??= { reason, since: new Date().toISOString() };
    return new StorageUnavailableError(`${reason}; try again shortly.`);
  }
}

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ESOCKETTIMEDOUT',
  'UND_ERR_SOCKET',
  'REQUEST_SEND_ERROR',
]);

export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return TRANSIENT_STATUS.has(status);
  const e = error as { name?: string; code?: string; cause?: { code?: string } } | undefined;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return true;
  return TRANSIENT_CODES.has(e?.code ?? '') || TRANSIENT_CODES.has(e?.cause?.code ?? '');
}

export function describeAzureError(error: unknown): string {
  const status = statusOf(error);
  const code = (error as { code?: string } | undefined)?.code;
  const text = describeError(error).split('\n')[0] ?? '';
  return [status && `HTTP ${status}`, code, text.slice(0, 200)].filter(Boolean).join(', ');
}

export const isStatus = (error: unknown, status: number) => statusOf(error) === status;
