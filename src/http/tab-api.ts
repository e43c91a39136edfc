// The tab's JSON API, one contract for the tab and for scripts. Transport only: who calls comes
// from the SSO token (sso.ts), what they may see and do from leads/access.ts through the viewer,
// every change through act() (leads/workflow.ts), and the posted cards through `publish`, the
// card handler's own path to the outbox. The routes: tab/list-routes.ts, tab/lead-routes.ts,
// tab/auto-assign-route.ts, here.
import type { Request, Response, Server } from 'restify';
import { ValidationError } from '../errors.js';
import { type Translator, translator } from '../i18n/translator.js';
import { allTime, allTimeOf, parsePeriod } from '../leads/period.js';
import { firstArrival, summarizeRollupWithSeries } from '../leads/rollup-summary.js';
import { answerError, sendError } from './error-answer.js';
import { bearerToken, KeysUnavailableError, TokenError, type VerifyToken } from './sso.js';
import { showAutoAssign } from './tab/auto-assign-route.js';
import { runAction, showLead } from './tab/lead-routes.js';
import { exportCsv, listLeads } from './tab/list-routes.js';
import { queryOf, type TabApiDeps, type TabHandler } from './tab/route-kit.js';

export type { TabApiDeps } from './tab/route-kit.js';

export function registerTabApi(server: Server, deps: TabApiDeps): void {
  server.get('/api/tab/me', signedIn(deps, me(deps)));
  server.get('/api/tab/leads', signedIn(deps, listLeads(deps)));
  server.get('/api/tab/leads.csv', signedIn(deps, exportCsv(deps)));
  server.get('/api/tab/leads/:id', signedIn(deps, showLead(deps)));
  server.post('/api/tab/leads/:id/actions', signedIn(deps, runAction(deps)));
  server.get('/api/tab/summary', signedIn(deps, showSummary(deps)));
  server.get('/api/tab/auto-assign', signedIn(deps, showAutoAssign(deps)));
}

/** Every route: a valid token first (401 says what was wrong, and nothing is read or changed). */
function signedIn(deps: TabApiDeps, handler: TabHandler) {
  return async (req: Request, res: Response) => {
    res.header('Cache-Control', 'no-store');
    res.header('X-Content-Type-Options', 'nosniff');
    try {
      const token = bearerToken(req.headers.authorization);
      if (!token) {
        sendError(res, 401, 'unauthorized', 'Send the Teams SSO token as "Authorization: Bearer <token>".');
        return;
      }
      let user: Awaited<ReturnType<VerifyToken>>;
      try {
        user = await deps.verify(token);
      } catch (error) {
        if (error instanceof TokenError) {
          deps.log.warn('tab token refused', { reason: error.message });
          sendError(res, 401, 'unauthorized', error.message);
          return;
        }
        if (error instanceof KeysUnavailableError) {
          deps.log.warn('tab token not checked: no signing keys', { reason: error.message });
          res.header('Retry-After', '30');
          sendError(res, 503, 'keys_unavailable', `${error.message} Try again shortly.`);
          return;
        }
        throw error;
      }
      const actor = await deps.door.viewer({ aadObjectId: user.oid, name: user.name, tenantId: user.tid });
      await handler(req, res, { user, actor, teams: actor.teams }, translatorFor(req, deps));
    } catch (error) {
      answerError(res, error, deps.log);
    }
  };
}

/** `?locale=` (the tab passes Teams' locale), else Accept-Language, else DEFAULT_LOCALE. */
function translatorFor(req: Request, deps: TabApiDeps): Translator {
  const asked = queryOf(req).get('locale') ?? req.headers['accept-language']?.split(',')[0];
  return translator(asked, deps.config.defaultLocale);
}

function me(deps: TabApiDeps): TabHandler {
  return async (_req, res, viewer, t) => {
    const { actor, teams, user } = viewer;
    const mayWork = !actor.isGuest;
    res.send(200, {
      user: {
        oid: user.oid,
        tid: user.tid,
        name: actor.name,
        ...(user.username ? { username: user.username } : {}),
      },
      isManager: actor.isManager,
      teams: teams.map((team) => ({ teamId: team.teamId, teamName: team.teamName })),
      mayWork,
      maySeeSummary: deps.door.mayUse('managers', actor),
      locale: deps.config.defaultLocale,
      ...(mayWork ? {} : { notice: t('refusal.guest') }),
    });
  };
}

function showSummary(deps: TabApiDeps): TabHandler {
  return async (req, res, viewer, t) => {
    const query = queryOf(req);
    const asked = query.get('period') ?? '';
    // "all" is the tab's "All time"; the summary command has no such period.
    const isAllTime = asked.trim().toLowerCase() === 'all';
    const period = isAllTime ? allTime(deps.now()) : parsePeriod(asked, deps.now(), deps.config.timeZone);
    if (!period) throw new ValidationError(t('summary.badPeriod'));
    const offer = query.get('offer')?.trim().slice(0, 100) || undefined;
    const team = query.get('team')?.trim() || undefined;
    // One team's figures (the tab in a channel), or all this person may see.
    const { timeZone } = deps.config;
    const scoped = await deps.door.summaryRollup(
      team ? { ...viewer.actor, placeTeamId: team } : viewer.actor,
      period,
      timeZone,
    );
    if ('refused' in scoped) {
      sendError(res, 403, 'forbidden', t('refusal.managersOnly'));
      return;
    }
    const first = firstArrival(scoped.scoped, timeZone);
    const shown = isAllTime ? allTimeOf(first ? [{ receivedAt: first }] : [], period.to, timeZone) : period;
    const { summary, series } = summarizeRollupWithSeries(scoped.scoped, shown, timeZone, offer);
    res.send(200, {
      summary: {
        ...summary,
        period: { ...shown, from: shown.from.toISOString(), to: shown.to.toISOString() },
      },
      series,
    });
  };
}
