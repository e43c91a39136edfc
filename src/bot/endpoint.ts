// POST /api/messages, the Bot Framework endpoint: botbuilder's side of the server. Nothing is read
// before the cheap check of the bearer; the body is JSON only, within a limit, read in memory; a
// forged token is one warning line here, where botbuilder would print a stack trace for each.
import type { Activity, ActivityHandler, CloudAdapter } from 'botbuilder';
import { AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';
import type { Request, Response } from 'restify';
import { sendError } from '../http/error-answer.js';
import { readJsonBody, refuse } from '../http/json-body.js';
import type { Logger } from '../log.js';

export interface BotEndpointDeps {
  adapter: CloudAdapter;
  /** The adapter's own authentication, to refuse a bad token before botbuilder prints its stack. */
  auth: BotFrameworkAuthentication;
  /** Outside local mode every activity must carry a Bot Framework token. */
  requireToken: boolean;
  bot: ActivityHandler;
  log: Logger;
}

/** An activity is a few KB; attachments travel as links, never in the body. */
const MAX_ACTIVITY_BYTES = 256 * 1024;

export function createBotEndpoint(deps: BotEndpointDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    if (deps.requireToken && !/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
      refuse(req, res, 401, 'unauthorized', 'A Bot Framework token is required.');
      return;
    }
    const body = await readJsonBody(req, res, {
      maxBytes: MAX_ACTIVITY_BYTES,
      expected: 'Send an activity.',
    });
    if (!body) return;
    req.body = body.value;
    if (deps.requireToken && !(await isAuthentic(req, deps))) {
      sendError(res, 401, 'unauthorized', 'A valid Bot Framework token is required.');
      return;
    }
    // botbuilder answers 500 "Internal" to an activity without a type; it is the sender's mistake.
    const type = (body.value as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || type === '') {
      sendError(
        res,
        400,
        'invalid_input',
        'An activity is a JSON object with a "type" (message, invoke, …).',
      );
      return;
    }
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  };
}

/** Checks the token as `adapter.process` will (the keys are cached, so twice costs little). */
async function isAuthentic(req: Request, deps: BotEndpointDeps): Promise<boolean> {
  try {
    await deps.auth.authenticateRequest(req.body as Activity, req.headers.authorization ?? '');
    return true;
  } catch (error) {
    if (!AuthenticationError.isStatusCodeError(error)) throw error;
    deps.log.warn('bot activity refused: invalid token', { reason: String(error.message).slice(0, 200) });
    return false;
  }
}
