import type { Activity, ActivityHandler, CloudAdapter } from 'botbuilder';
import { AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';
import restify from 'restify';
import { applyClientTimeouts, CLIENT_TIMEOUTS } from './http/client-timeouts.js';
import { type CrmLinkDeps, createCrmLinkRoute } from './http/crm-link.js';
import { type DevIssuer, issueDevToken, serveDevJwks } from './http/dev-token.js';
import { answerError, sendError } from './http/error-answer.js';
import { trackRequests } from './http/graceful-stop.js';
import { createHealthCheck } from './http/health.js';
import { createImportRoute, type ImportRouteDeps } from './http/import.js';
import { createLeadPage } from './http/lead-page.js';
import { createLeadsWebhook, type LeadsWebhookDeps } from './http/leads-webhook.js';
import { createPage } from './http/pages.js';
import type { PrivacyFacts } from './http/privacy-facts.js';
import { registerTabApi, type TabApiDeps } from './http/tab-api.js';
import { serveTab } from './http/tab-static.js';
import type { Logger } from './log.js';
import { describeError, requestScope } from './log.js';

export interface ServerDeps {
  adapter: CloudAdapter;
  /** The adapter's own authentication, to refuse a bad token before botbuilder prints its stack. */
  auth: BotFrameworkAuthentication;
  /** Outside local mode every activity must carry a Bot Framework token. */
  requireToken: boolean;
  bot: ActivityHandler;
  webhook: LeadsWebhookDeps;
  /** PUT /api/leads/{id}/crm: the CRM writes its record back. */
  crmLink?: CrmLinkDeps;
  /** POST /api/leads/import: a Partner Center export. */
  importLeads?: ImportRouteDeps;
  log: Logger;
  /** Lead events: their endpoints' state in /healthz. */
  events?: { health(): Promise<unknown> };
  /** This instance's own figures for /healthz (leader or not, sources' counters). */
  health?: () => Record<string, unknown>;
  /** What the privacy page says about where data goes; the plain embedded setup when absent. */
  privacy?: PrivacyFacts;
  /** The Teams app whose Leads tab a lead link's page opens (the bot's app id); absent in local mode. */
  teamsAppId?: string;
  /** The Teams tab: its API, its static files, and (local mode only) the dev token issuer. */
  tab?: { api: TabApiDeps; dev?: DevIssuer; staticDir?: string };
}

export interface LeadServer extends restify.Server {
  /**
   * Stops accepting connections, answers every request already received (`Connection: close`),
   * closes idle keep-alive connections, and resolves once the last connection is gone.
   */
  stop(): Promise<void>;
}

/** Builds the server with every route; listening is the caller's business (tests use port 0). */
export function createServer(deps: ServerDeps): LeadServer {
  const base = restify.createServer({ name: 'lead-assistant', handleUncaughtExceptions: false });
  const server: LeadServer = Object.assign(base, { stop: trackRequests(base.server) });
  // A slow or stalled client cannot hold a connection for Node's default 5 minutes.
  applyClientTimeouts(server.server, CLIENT_TIMEOUTS);
  // One id per request, in its answer and in every log line written while it is handled.
  server.pre((req, res, next) => {
    res.header('x-request-id', req.id());
    requestScope.run({ requestId: req.id() }, next);
  });
  server.post(
    '/api/messages',
    restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }),
    async (req, res) => {
      // Refused here, before botbuilder, which would print a stack trace for every such request.
      if (deps.requireToken && !/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
        sendError(res, 401, 'unauthorized', 'A Bot Framework token is required.');
        return;
      }
      if (deps.requireToken && !(await isAuthentic(req, deps))) {
        sendError(res, 401, 'unauthorized', 'A valid Bot Framework token is required.');
        return;
      }
      // Entered again here: restify's body parser calls on from a stream event, outside the scope.
      await requestScope.run({ requestId: req.id() }, () =>
        deps.adapter.process(req, res, (context) => deps.bot.run(context)),
      );
    },
  );
  server.post('/api/leads', createLeadsWebhook(deps.webhook));
  if (deps.importLeads) server.post('/api/leads/import', createImportRoute(deps.importLeads));
  if (deps.crmLink) server.put('/api/leads/:id/crm', createCrmLinkRoute(deps.crmLink));
  server.get('/healthz', createHealthCheck(deps.webhook.store, new Date(), deps.events, deps.health));
  // The pages the Teams manifest links to (websiteUrl, privacyUrl, termsOfUseUrl).
  server.get('/', createPage('home'));
  server.get('/privacy', createPage('privacy', deps.privacy));
  server.get('/terms', createPage('terms'));
  // A lead's link (cards, the tab, unfurled in chats): a page that opens the Leads tab at it.
  server.get('/leads/*', createLeadPage(deps.teamsAppId));
  if (deps.tab) registerTab(server, deps.tab);
  server.on('restifyError', (req, _res, error, callback) => {
    // 404/405 from probes (the Playground sends HEAD) are not worth a line; server faults are.
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) deps.log.warn('request failed', { path: req.path(), error: describeError(error) });
    return callback();
  });
  server.on('uncaughtException', (_req, res, _route, error) => {
    if (!res.headersSent) answerError(res, error, deps.log);
    else deps.log.error('handler crashed after answering', { error: describeError(error) });
  });
  return server;
}

function registerTab(server: restify.Server, tab: NonNullable<ServerDeps['tab']>): void {
  registerTabApi(server, tab.api);
  const files = serveTab(tab.staticDir, { localHost: tab.dev !== undefined });
  server.get('/tab', files);
  server.get('/tab/*', files);
  server.head('/tab/*', files);
  if (tab.dev) {
    server.get('/api/dev/jwks', serveDevJwks(tab.dev));
    server.post(
      '/api/dev/token',
      restify.plugins.bodyParser({ maxBodySize: 4096, mapParams: false }),
      issueDevToken(tab.dev, tab.api.store),
    );
  }
}

/**
 * Checks the token as `adapter.process` will (the keys are cached, so twice costs little): a
 * refusal is one warning line here, where botbuilder would print a stack trace for every forgery.
 */
async function isAuthentic(req: restify.Request, deps: ServerDeps): Promise<boolean> {
  try {
    await deps.auth.authenticateRequest(req.body as Activity, req.headers.authorization ?? '');
    return true;
  } catch (error) {
    if (!AuthenticationError.isStatusCodeError(error)) throw error;
    deps.log.warn('bot activity refused: invalid token', { reason: String(error.message).slice(0, 200) });
    return false;
  }
}
