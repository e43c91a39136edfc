import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks headers for one delivery attempt: the id stays the same on every attempt, the
 * timestamp is the attempt's, and there is one `v1,` signature per secret (two while rotating, so
 * a receiver with either secret accepts it).
 */
export function signedHeaders(
  id: string,
  body: string,
  secrets: readonly string[],
  at: Date,
): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(id, at, body));
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
