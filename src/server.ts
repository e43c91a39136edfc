import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import restify from 'restify';
import { createHealthCheck } from './http/health.js';
import { createLeadsWebhook, type LeadsWebhookDeps, sendError } from './http/leads-webhook.js';
import type { Logger } from './log.js';
import { describeError } from './log.js';

export interface ServerDeps {
  adapter: CloudAdapter;
  /** Outside local mode every activity must carry a Bot Framework token. */
  requireToken: boolean;
  bot: ActivityHandler;
  webhook: LeadsWebhookDeps;
  log: Logger;
}

/** Builds the server with every route; listening is the caller's business (tests use port 0). */
export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'lead-assistant', handleUncaughtExceptions: false });
  // A slow or stalled client cannot hold a connection for Node's default 5 minutes.
  server.server.headersTimeout = 15_000;
  server.server.requestTimeout = 30_000;
  server.post(
    '/api/messages',
    restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }),
    async (req, res) => {
      // Refused here, before botbuilder, which would print a stack trace for every such request.
      if (deps.requireToken && !/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
        sendError(res, 401, 'unauthorized', 'A Bot Framework token is required.');
        return;
      }
      await deps.adapter.process(req, res, (context) => deps.bot.run(context));
    },
  );
  server.post('/api/leads', createLeadsWebhook(deps.webhook));
  server.get('/healthz', createHealthCheck(deps.webhook.store, new Date()));
  server.on('restifyError', (req, _res, error, callback) => {
    // 404/405 from probes (the Playground sends HEAD) are not worth a line; server faults are.
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) deps.log.warn('request failed', { path: req.path(), error: describeError(error) });
    return callback();
  });
  server.on('uncaughtException', (_req, res, _route, error) => {
    deps.log.error('handler crashed', { error: describeError(error) });
    if (!res.headersSent) sendError(res, 500, 'internal', 'Something went wrong; nothing was changed.');
  });
  return server;
}
