import type { Request, Response } from 'restify';
import { ValidationError } from '../errors.js';
import { type IntakeResult, receiveLead } from '../leads/intake.js';
import type { LeadStore } from '../leads/store.js';
import type { Logger } from '../log.js';
import { redactEmail } from '../log.js';
import { answerError, sendError } from './error-answer.js';
import { FailedAuthLimiter } from './failed-auth-limiter.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { isValidWebhookKey } from './webhook-auth.js';

/** A real lead is under 4 KB; anything near this limit is not from Partner Center. */
export const MAX_LEAD_BODY_BYTES = 64 * 1024;

export interface LeadsWebhookDeps {
  store: LeadStore;
  secrets: readonly string[];
  /** Local mode without a secret: accept unauthenticated posts (warned about at start-up). */
  open: boolean;
  log: Logger;
  now: () => Date;
  onAccepted: (result: IntakeResult) => void;
  failedAuth?: FailedAuthLimiter;
}

/** POST /api/leads: transport only (auth, type, size, status codes); the intake does the rest. */
export function createLeadsWebhook(deps: LeadsWebhookDeps) {
  const failedAuth = deps.failedAuth ?? new FailedAuthLimiter();
  return async (req: Request, res: Response): Promise<void> => {
    if (!checkWebhookKey(req, res, deps, failedAuth)) return;
    if (!isJson(req.headers['content-type'])) {
      req.resume();
      sendError(
        res,
        415,
        'unsupported_media_type',
        'Send the lead as JSON (Content-Type: application/json).',
      );
      return;
    }
    let body: string;
    try {
      body = await readBody(req, MAX_LEAD_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendError(res, 413, 'payload_too_large', `A lead must be at most ${MAX_LEAD_BODY_BYTES / 1024} KB.`);
        return;
      }
      throw error;
    }
    try {
      const result = await receiveLead(deps.store, body, deps.now());
      const { lead, status } = result;
      deps.log.info('lead received', {
        id: lead.id,
        status,
        storefront: lead.source.storefront,
        action: lead.source.action,
        email: redactEmail(lead.customer.email),
      });
      res.send(202, { id: lead.id, status });
      if (status === 'accepted') deps.onAccepted(result);
    } catch (error) {
      if (error instanceof ValidationError) {
        deps.log.warn('lead rejected', {
          code: error.code,
          reason: error.message.slice(0, 200),
          bytes: body.length,
        });
        sendError(res, 400, error.code, error.message);
        return;
      }
      answerError(res, error, deps.log);
    }
  };
}

/**
 * The webhook key, as every route that takes it checks it (the leads webhook, the CRM link, the
 * import): `401` without it, `429` after too many wrong ones from one address. False when refused
 * (the answer is sent).
 */
export function checkWebhookKey(
  req: Request,
  res: Response,
  deps: Pick<LeadsWebhookDeps, 'open' | 'secrets' | 'now'>,
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
