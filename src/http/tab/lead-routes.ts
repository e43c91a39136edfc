// GET /api/tab/leads/{id} (everything the card shows, the whole history, the actions this person
// may take) and POST /api/tab/leads/{id}/actions (the card's verbs and inputs, through act()).
import type { Request, Response } from 'restify';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { changeNotice, refusalMessage } from '../../i18n/messages.js';
import type { Translator } from '../../i18n/translator.js';
import { parseActionInputs } from '../../leads/action-inputs.js';
import type { Lead } from '../../leads/lead.js';
import { normaliseLeadId } from '../../leads/lead-id.js';
import { LEAD_VERBS, type Verb } from '../../leads/lifecycle.js';
import { sendError } from '../error-answer.js';
import { BodyTooLargeError, readBody } from '../read-body.js';
import { leadDetails } from './lead-view.js';
import type { TabApiDeps, TabHandler } from './route-kit.js';
import type { Viewer } from './viewer.js';

const VERBS: Record<string, Verb> = Object.fromEntries(LEAD_VERBS.map((verb) => [`lead.${verb}`, verb]));

/** The lead by the `:id` in the path, if this person may see it; else the card's "no such lead". */
async function findLead(req: Request, deps: TabApiDeps, viewer: Viewer): Promise<Lead | undefined> {
  const id = normaliseLeadId(String(req.params?.id ?? ''));
  return id ? (await deps.door.lead(viewer.actor, id))?.lead : undefined;
}

function notFound(res: Response, req: Request, t: Translator): void {
  sendError(
    res,
    404,
    'not_found',
    t('error.leadNotFound', { id: String(req.params?.id ?? '').slice(0, 20) }),
  );
}

async function details(lead: Lead, viewer: Viewer, t: Translator, deps: TabApiDeps) {
  const roster = await deps.door.rosterFor(lead);
  return leadDetails(lead, viewer, roster, t, deps.config.contactVisibility);
}

export function showLead(deps: TabApiDeps): TabHandler {
  return async (req, res, viewer, t) => {
    const lead = await findLead(req, deps, viewer);
    if (!lead) return notFound(res, req, t);
    res.send(200, { lead: await details(lead, viewer, t, deps) });
  };
}

const MAX_ACTION_BYTES = 16 * 1024;

/** The body, read only after the token passed (a stranger's bytes are not parsed). */
async function readJson(req: Request): Promise<unknown> {
  let text: string;
  try {
    text = await readBody(req, MAX_ACTION_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw new ValidationError(
        `The body is larger than ${MAX_ACTION_BYTES} bytes; an action needs far less.`,
      );
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // answered below, with what to send
  }
}

const actionBody = z
  .object({ verb: z.string().max(40), version: z.number().int().nonnegative() })
  .passthrough();

export function runAction(deps: TabApiDeps): TabHandler {
  return async (req, res, viewer, t) => {
    const parsed = actionBody.safeParse(await readJson(req));
    const verb = parsed.success ? VERBS[parsed.data.verb] : undefined;
    if (!parsed.success || !verb)
      throw new ValidationError(
        `Send JSON {"verb": one of ${Object.keys(VERBS).join(', ')}, "version": the lead's version, …inputs}.`,
      );
    const lead = await findLead(req, deps, viewer);
    if (!lead) return notFound(res, req, t);
    const roster = await deps.door.rosterFor(lead);
    const action = parseActionInputs(verb, parsed.data, roster);
    if ('invalid' in action) {
      res.send(400, {
        error: { code: 'invalid_input', field: action.invalid, message: t(`input.${action.invalid}`) },
      });
      return;
    }
    const result = await deps.door.act(viewer.actor, {
      leadId: lead.id,
      version: parsed.data.version,
      action,
    });
    const view = { t, timeZone: deps.config.timeZone, now: deps.now() };
    switch (result.outcome) {
      case 'not_found':
        return notFound(res, req, t);
      case 'refused':
        res.send(403, {
          error: {
            code: 'forbidden',
            refusal: result.refusal,
            message: refusalMessage(result.refusal, result.lead, t),
          },
        });
        return;
      case 'stale':
        res.send(409, {
          error: { code: 'stale', message: changeNotice(result.current, view) },
          lead: await details(result.current, viewer, t, deps),
        });
        return;
      case 'saved':
        deps.log.info('lead changed in the tab', {
          lead: result.lead.id,
          verb,
          version: result.lead.version,
        });
        res.send(200, { lead: await details(result.lead, viewer, t, deps) });
        return;
    }
  };
}
