import { describeError } from '../log.js';
import { classifyStatus, type SendOutcome } from './event-retry.js';
import type { LeadEvent } from './lead-event.js';
import { signedHeaders } from './signing.js';

/** Of a receiver's reply, only this much is read: nothing in it is used. */
const REPLY_BYTES_READ = 4096;

/**
 * Reads a small reply to its end (which frees the connection for the next event) and cancels a
 * longer one (closing the connection): a receiver answering 300 MB, or forever, costs a few KB.
 */
async function readLittleOf(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  try {
    for (let read = 0; read < REPLY_BYTES_READ; ) {
      const chunk = await reader.read();
      if (chunk.done) return;
      read += chunk.value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The timeout or a broken connection while reading: the status is what counts.
  }
}

/**
 * One attempt at one event: signed now, answered within `timeoutMs` or given up (the receiver is
 * treated as down). Never throws: every way it can end is a SendOutcome.
 */
export async function postEvent(
  url: string,
  event: LeadEvent,
  secrets: readonly string[],
  timeoutMs: number,
  /** Aborts the attempt (the app is stopping); it then counts as not answered. */
  stop?: AbortSignal,
): Promise<SendOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        ...signedHeaders(event.id, event.body, secrets, new Date()),
        'user-agent': 'LeadAssistant-Events/1',
      },
      body: event.body,
      redirect: 'manual', // Standard Webhooks: a redirect is a failure, not a new destination
      signal: stop ? AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]) : AbortSignal.timeout(timeoutMs),
    });
    await readLittleOf(response);
    return classifyStatus(response.status, response.headers.get('retry-after'), Date.now());
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      return { kind: 'retry', error: `no answer within ${timeoutMs} ms` };
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? describeError(error);
    return { kind: 'retry', error: `network error: ${reason}`.slice(0, 300) };
  }
}
