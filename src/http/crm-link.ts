import type { Request, Response } from 'restify';
import type { LeadChanges } from '../leads/changes.js';
import { linkCrmRecord, parseCrmBody } from '../leads/crm.js';
import { parseJsonText } from '../leads/json-text.js';
import { normaliseLeadId } from '../leads/lead-id.js';
import type { Leads } from '../leads/store.js';
import { answerError, sendError } from './error-answer.js';
import { FailedAuthLimiter } from './failed-auth-limiter.js';
import { isJson, type KeyedRouteDeps, readKeyedBody } from './keyed-body.js';

/** `{crmId, crmUrl}` with a URL at its longest is under 3 KB. */
export const MAX_CRM_BODY_BYTES = 8 * 1024;

/** Who the change is by, as the lead's history records it (leads/crm.ts). */
const CRM = { aadObjectId: 'system', name: 'CRM' };

export interface CrmLinkDeps extends KeyedRouteDeps {
  store: Leads;
  /** The one change port: the posted cards and the lead events hear of the link. */
  changes: LeadChanges;
}

/**
 * PUT /api/leads/{id}/crm `{crmId?, crmUrl?}` with the webhook key: the CRM writes its record
 * back. Transport only; every refusal changes nothing and says what was wrong.
 */
export function createCrmLinkRoute(deps: CrmLinkDeps) {
  const failedAuth = deps.failedAuth ?? new FailedAuthLimiter();
  return async (req: Request, res: Response): Promise<void> => {
    const text = await readKeyedBody(req, res, deps, failedAuth, {
      accepts: isJson,
      wrongType: 'Send {"crmId","crmUrl"} as JSON (Content-Type: application/json).',
      maxBytes: MAX_CRM_BODY_BYTES,
      tooLarge: `The body must be at most ${MAX_CRM_BODY_BYTES / 1024} KB.`,
    });
    if (text === undefined) return;
    try {
      const link = parseCrmBody(parseJsonText(text));
      const id = normaliseLeadId(String(req.params?.id ?? ''));
      if (!id) {
        sendError(res, 404, 'not_found', `There is no lead ${String(req.params?.id ?? '').slice(0, 40)}.`);
        return;
      }
      const { lead, changed } = await linkCrmRecord(deps.store, id, link, deps.now);
      res.send(200, { id: lead.id, crm: lead.crm, version: lead.version });
      if (!changed) return;
      deps.log.info('crm record linked', { lead: lead.id, version: lead.version });
      // After the answer: the CRM's flow does not wait for Teams.
      deps.changes.changed({ lead, verb: 'crm', by: CRM });
    } catch (error) {
      if (res.headersSent) throw error;
      answerError(res, error, deps.log);
    }
  };
}
