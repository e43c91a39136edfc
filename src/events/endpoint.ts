import { createHash } from 'node:crypto';

/** An endpoint's key in the store: a short stable hash of its whole URL (query included). */
export function endpointKey(url: string): string {
  return createHash('sha256').update(url).digest('base64url').slice(0, 12);
}

/**
 * The URL as it may be shown (/healthz, logs, messages to managers): without its query, where
 * Power Automate and others put the key that lets anyone call the flow.
 */
export function publicUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
