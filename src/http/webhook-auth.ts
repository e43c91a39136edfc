import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time check of a presented key against the configured ones (two during rotation).
 * Hashing first gives equal-length buffers, so length leaks nothing either.
 */
export function isValidWebhookKey(presented: string | undefined, secrets: readonly string[]): boolean {
  if (presented === undefined || presented === '') return false;
  const digest = sha256(presented);
  let valid = false;
  for (const secret of secrets) {
    if (timingSafeEqual(digest, sha256(secret))) valid = true;
  }
  return valid;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
