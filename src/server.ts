import restify from 'restify';
import { applyClientTimeouts, CLIENT_TIMEOUTS } from './http/client-timeouts.js';
import { type CrmLinkDeps, createCrmLinkRoute } from './http/crm-link.js';
import { type DevIssuer, issueDevToken, serveDevJwks } from './http/dev-token.js';
import { answerError } from './http/error-answer.js';
import { trackRequests } from './http/graceful-stop.js';
import { createHealthCheck } from './http/health.js';
import { HEALTH_TIMING, HealthFigures, type HealthTiming } from './http/health-figures.js';
import { createImportRoute, type ImportRouteDeps } from './http/import.js';
import { createLeadPage } from './http/lead-page.js';
import { createLeadsWebhook, type LeadsWebhookDeps } from './http/leads-webhook.js';
import { localOnly } from './http/local-only.js';
import { createPage } from './http/pages.js';
import type { PrivacyFacts } from './http/privacy-facts.js';
import { continueWhenRead } from './http/read-body.js';
import { registerTabApi, type TabApiDeps } from './http/tab-api.js';
import { serveTab, tabBuildStatus } from './http/tab-static.js';
import type { Logger } from './log.js';
import { describeError, requestScope } from './log.js';

export interface ServerDeps {
  /** POST /api/messages: the Teams adapter's endpoint (bot/endpoint.ts). */
  botEndpoint: restify.RequestHandler;
  /** Outside local mode every activity must carry a Bot Framework token (local mode: loopback only). */
  requireToken: boolean;
  /** HOST as configured: in local mode, a name the local-only routes answer for besides loopback's. */
  listenHost?: string;
  webhook: LeadsWebhookDeps;
  /** PUT /api/leads/{id}/crm: the CRM writes its record back. */
  crmLink?: CrmLinkDeps;
  /** POST /api/leads/import: a Partner Center export. */
  importLeads?: ImportRouteDeps;
  log: Logger;
  /** Lead events: their endpoints' state in /healthz. */
  events?: { health(): Promise<unknown> };
  /** How long /healthz waits and when its figures count as stale (tests shorten them). */
  healthTiming?: Partial<HealthTiming>;
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
  const base = restify.createServer({
    name: 'lead-assistant',
    handleUncaughtExceptions: false,
    // `Expect: 100-continue` is answered only once a route reads the body, after its check passed.
    noWriteContinue: true,
  });
  const server: LeadServer = Object.assign(base, { stop: trackRequests(base.server) });
  // A slow or stalled client cannot hold a connection for Node's default 5 minutes.
  applyClientTimeouts(server.server, CLIENT_TIMEOUTS);
  // One id per request, in its answer and in every log line written while it is handled.
  server.pre((req, res, next) => {
    continueWhenRead(req, res);
    res.header('x-request-id', req.id());
    requestScope.run({ requestId: req.id() }, next);
  });
  // In local mode the open routes take requests for a loopback name only, and from no other site.
  const local = deps.requireToken ? [] : [localOnly(deps.listenHost ?? '127.0.0.1')];
  server.post('/api/messages', ...local, deps.botEndpoint);
  const keyedLocal = deps.webhook.open ? local : []; // without a key, a web page could post leads
  server.post('/api/leads', ...keyedLocal, createLeadsWebhook(deps.webhook));
  if (deps.importLeads) server.post('/api/leads/import', ...keyedLocal, createImportRoute(deps.importLeads));
  if (deps.crmLink) server.put('/api/leads/:id/crm', ...keyedLocal, createCrmLinkRoute(deps.crmLink));
  const timing = { ...HEALTH_TIMING, ...deps.healthTiming };
  const figures = new HealthFigures({ store: deps.webhook.store, events: deps.events }, timing);
  server.on('listening', () => figures.start());
  server.on('close', () => figures.stop());
  // A missing tab build is reported, but the status stays ok: leads are still taken and posted, and
  // a 503 would make a load balancer or a container runtime drop or restart a server a rebuild fixes.
  const instance = () => ({
    ...deps.health?.(),
    ...(deps.tab ? { tab: tabBuildStatus(deps.tab.staticDir) } : {}),
  });
  server.get('/healthz', createHealthCheck(figures, timing.answerWithinMs, new Date(), instance));
  // The pages the Teams manifest links to (websiteUrl, privacyUrl, termsOfUseUrl).
  server.get('/', createPage('home'));
  server.get('/privacy', createPage('privacy', deps.privacy));
  server.get('/terms', createPage('terms'));
  // A lead's link (cards, the tab, unfurled in chats): a page that opens the Leads tab at it.
  server.get('/leads/*', createLeadPage(deps.teamsAppId));
  if (deps.tab) registerTab(server, deps.tab, local);
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

function registerTab(
  server: restify.Server,
  tab: NonNullable<ServerDeps['tab']>,
  local: restify.RequestHandler[],
): void {
  registerTabApi(server, tab.api);
  const files = serveTab(tab.staticDir, { localHost: tab.dev !== undefined });
  server.get('/tab', files);
  server.get('/tab/*', files);
  server.head('/tab/*', files);
  if (tab.dev) {
    server.get('/api/dev/jwks', ...local, serveDevJwks(tab.dev));
    server.post('/api/dev/token', ...local, issueDevToken(tab.dev, tab.api.store));
  }
}
