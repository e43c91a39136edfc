import type { Request, Response } from 'restify';
import { ValidationError } from '../errors.js';
import { type Arrivals, type IntakeResult, receiveLead } from '../leads/intake.js';
import { MAX_LEAD_BYTES } from '../leads/lead-limits.js';
import type { LeadStore } from '../leads/store.js';
import { redactEmail } from '../log.js';
import { answerError, sendError } from './error-answer.js';
import { FailedAuthLimiter } from './failed-auth-limiter.js';
import { isJson, type KeyedRouteDeps, readKeyedBody } from './keyed-body.js';

/** The body is the lead: as large as a lead may be (an imported row is held to the same). */
export const MAX_LEAD_BODY_BYTES = MAX_LEAD_BYTES;

export interface LeadsWebhookDeps extends KeyedRouteDeps {
  store: LeadStore;
  /** Gives new leads their owner when auto-assign is on. */
  arrivals?: Arrivals;
  onAccepted: (result: IntakeResult) => void;
}

/** POST /api/leads: transport only (auth, type, size, status codes); the intake does the rest. */
export function createLeadsWebhook(deps: LeadsWebhookDeps) {
  const failedAuth = deps.failedAuth ?? new FailedAuthLimiter();
  return async (req: Request, res: Response): Promise<void> => {
    const body = await readKeyedBody(req, res, deps, failedAuth, {
      accepts: isJson,
      wrongType: 'Send the lead as JSON (Content-Type: application/json).',
      maxBytes: MAX_LEAD_BODY_BYTES,
      tooLarge: `A lead must be at most ${MAX_LEAD_BODY_BYTES / 1024} KB.`,
    });
    if (body === undefined) return;
    try {
      const result = await receiveLead(deps.store, body, deps.now(), deps.arrivals);
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
