import type { Request, Response } from 'restify';
import type { Logger } from '../log.js';
import { sendError } from './error-answer.js';
import type { FailedAuthLimiter } from './failed-auth-limiter.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { isValidWebhookKey } from './webhook-auth.js';

/** Who may call: the configured keys, or anyone in local mode without one. */
export interface KeyCheck {
  secrets: readonly string[];
  /** Local mode without a secret: accept unauthenticated calls (warned about at start-up). */
  open: boolean;
  now: () => Date;
}

/** What every keyed route is built with: the key check, a logger, and the shared count of wrong keys. */
export interface KeyedRouteDeps extends KeyCheck {
  log: Logger;
  failedAuth?: FailedAuthLimiter;
}

/** What a route that takes the webhook key accepts: a media type and a size. */
export interface KeyedBodyRules {
  accepts: (contentType: string | undefined) => boolean;
  /** Says what to send instead, for the `415`. */
  wrongType: string;
  maxBytes: number;
  /** Says the limit, for the `413`. */
  tooLarge: string;
}

/**
 * The checks every keyed route makes before it reads anything (the lead webhook, the CRM link,
 * the import), in one order: the key (`401`/`429`), the media type (`415`), the size (`413`).
 * Resolves with the body (as text, unless `read` says otherwise), or undefined once a refusal was
 * sent (nothing read, nothing changed).
 */
export async function readKeyedBody<Body = string>(
  req: Request,
  res: Response,
  deps: KeyCheck,
  failedAuth: FailedAuthLimiter,
  rules: KeyedBodyRules,
  read: (req: Request, limit: number) => Promise<Body> = readBody as never,
): Promise<Body | undefined> {
  if (!checkWebhookKey(req, res, deps, failedAuth)) return undefined;
  if (!rules.accepts(req.headers['content-type'])) {
    req.resume();
    sendError(res, 415, 'unsupported_media_type', rules.wrongType);
    return undefined;
  }
  try {
    return await read(req, rules.maxBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendError(res, 413, 'payload_too_large', rules.tooLarge);
    return undefined;
  }
}

/**
 * The webhook key, as every route that takes it checks it (the leads webhook, the CRM link, the
 * import): `401` without it, `429` after too many wrong ones from one address. False when refused
 * (the answer is sent).
 */
function checkWebhookKey(
  req: Request,
  res: Response,
  deps: KeyCheck,
  failedAuth: FailedAuthLimiter,
): boolean {
  if (deps.open || isValidWebhookKey(presentedKey(req), deps.secrets)) return true;
  req.resume();
  const wait = failedAuth.fail(req.socket.remoteAddress ?? 'unknown', deps.now().getTime());
  if (wait !== undefined) {
    res.header('Retry-After', String(wait));
    sendError(res, 429, 'too_many_failures', `Too many requests with a wrong key. Try again in ${wait} s.`);
    return false;
  }
  sendError(
    res,
    401,
    'unauthorized',
    'Missing or invalid key. Put the key in the URL as ?code=… or in x-leads-key.',
  );
  return false;
}

function presentedKey(req: Request): string | undefined {
  const header = req.headers['x-leads-key'];
  if (typeof header === 'string' && header !== '') return header;
  return new URL(req.url ?? '/', 'http://localhost').searchParams.get('code') ?? undefined;
}

export function isJson(contentType: string | undefined): boolean {
  // Partner Center's Content-Type is undocumented, so a missing one is accepted.
  if (!contentType) return true;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    mediaType === 'application/json' ||
    mediaType === 'text/json' ||
    /^application\/[\w.+-]*\+json$/.test(mediaType)
  );
}
