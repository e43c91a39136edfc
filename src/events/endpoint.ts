import { createHash } from 'node:crypto';

/** An endpoint's key in the store: a short stable hash of its whole URL (query included). */
export function endpointKey(url: string): string {
  return createHash('sha256').update(url).digest('base64url').slice(0, 12);
}

/**
 * The URL as it may be shown (/healthz, logs, messages to managers, configuration errors): its
 * scheme and host and a fingerprint of the whole URL, never its path or query. Zapier, n8n and
 * Power Automate put the key that lets anyone call the flow in either; the fingerprint (the first
 * 8 hex digits of the URL's SHA-256) tells two receivers on one host apart, and an operator can
 * compute it from the URL they configured.
 */
export function publicUrl(url: string): string {
  const fingerprint = createHash('sha256').update(url).digest('hex').slice(0, 8);
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return `#${fingerprint}`; // not a URL (a configuration error names it so)
  }
  return `${origin} #${fingerprint}`;
}
