// The tab's JSON API, one contract for the tab and for scripts. Transport only: who calls comes
// from the SSO token (sso.ts), what they may see and do from leads/access.ts through the viewer,
// every change through act() (leads/workflow.ts), and the posted cards through `publish`, the
// card handler's own path to the outbox.
import { createHash } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { type Translator, translator } from '../bot/i18n/translator.js';
import { changeNotice, refusalMessage } from '../bot/messages.js';
import { rosterForLead } from '../bot/roster.js';
import type { Config } from '../config.js';
import { ValidationError } from '../errors.js';
import { commandRefusal } from '../leads/access.js';
import { parseActionInputs } from '../leads/action-inputs.js';
import { LEAD_STATUSES, type Lead, type LeadStatus } from '../leads/lead.js';
import { normaliseLeadId } from '../leads/lead-id.js';
import type { Verb } from '../leads/lifecycle.js';
import { parsePeriod } from '../leads/period.js';
import { summarizeWithSeries } from '../leads/report-series.js';
import type { LeadStore } from '../leads/store.js';
import { act } from '../leads/workflow.js';
import type { Logger } from '../log.js';
import { answerError, sendError } from './error-answer.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { bearerToken, KeysUnavailableError, TokenError, type VerifyToken } from './sso.js';
import { leadsCsv } from './tab/csv.js';
import {
  type LeadFilter,
  matchesExceptStatus,
  pageOf,
  parseLeadFilter,
  parsePage,
  searched,
  sortNewestFirst,
} from './tab/lead-query.js';
import { leadDetails, leadRow } from './tab/lead-view.js';
import { canSee, placeFor, resolveViewer, type Viewer } from './tab/viewer.js';

export interface TabApiDeps {
  store: LeadStore;
  config: Pick<Config, 'managers' | 'defaultLocale' | 'timeZone' | 'contactVisibility'>;
  verify: VerifyToken;
  log: Logger;
  now: () => Date;
  /** A change was saved: the posted cards show it (the outbox), as after a card click. */
  publish(lead: Lead, verb: Verb, actorName: string): Promise<void>;
}

type Handler = (req: Request, res: Response, viewer: Viewer, t: Translator) => Promise<void>;

const VERBS: Record<string, Verb> = Object.fromEntries(
  (['claim', 'assign', 'qualify', 'disqualify', 'opportunity', 'won', 'lost', 'note', 'reopen'] as const).map(
    (verb) => [`lead.${verb}`, verb],
  ),
);

export function registerTabApi(server: Server, deps: TabApiDeps): void {
  server.get('/api/tab/me', signedIn(deps, me(deps)));
  server.get('/api/tab/leads', signedIn(deps, listLeads(deps)));
  server.get('/api/tab/leads.csv', signedIn(deps, exportCsv(deps)));
  server.get('/api/tab/leads/:id', signedIn(deps, showLead(deps)));
  server.post('/api/tab/leads/:id/actions', signedIn(deps, runAction(deps)));
  server.get('/api/tab/summary', signedIn(deps, showSummary(deps)));
}

/** Every route: a valid token first (401 says what was wrong, and nothing is read or changed). */
function signedIn(deps: TabApiDeps, handler: Handler) {
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
      const viewer = await resolveViewer(user, deps.store, deps.config.managers);
      await handler(req, res, viewer, translatorFor(req, deps));
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

function queryOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://tab.invalid').searchParams;
}

function me(deps: TabApiDeps): Handler {
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
      maySeeSummary: commandRefusal('managers', actor, deps.config.managers) === undefined,
      locale: deps.config.defaultLocale,
      ...(mayWork ? {} : { notice: t('refusal.guest') }),
    });
  };
}

/** The leads this person may see that match every filter but status (the board counts those). */
async function visibleLeads(deps: TabApiDeps, viewer: Viewer, filter: LeadFilter): Promise<Lead[]> {
  if (viewer.actor.isGuest) return [];
  const all = filter.period
    ? await deps.store.listLeadsReceived(filter.period.from, filter.period.to)
    : await deps.store.listLeads();
  const matches = matchesExceptStatus(filter, viewer.actor.aadObjectId);
  return searched(
    all.filter((lead) => matches(lead) && canSee(lead, viewer)),
    filter.q,
  );
}

function readFilter(req: Request, deps: TabApiDeps): LeadFilter {
  return parseLeadFilter(queryOf(req), deps.now(), deps.config.timeZone);
}

function withStatus(leads: Lead[], filter: LeadFilter): Lead[] {
  const statuses = filter.statuses;
  return statuses ? leads.filter((l) => statuses.includes(l.status)) : leads;
}

function listLeads(deps: TabApiDeps): Handler {
  return async (req, res, viewer) => {
    const filter = readFilter(req, deps);
    const page = parsePage(queryOf(req));
    const board = await visibleLeads(deps, viewer, filter);
    const counts = Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>;
    const pipeline: Record<string, number> = {};
    const matching: Lead[] = [];
    for (const lead of board) {
      counts[lead.status]++;
      if (filter.statuses && !filter.statuses.includes(lead.status)) continue;
      matching.push(lead);
      if (lead.status !== 'opportunity' || !lead.opportunity) continue;
      const { currency, value } = lead.opportunity;
      pipeline[currency] = Math.round(((pipeline[currency] ?? 0) + value) * 100) / 100;
    }
    const { items, nextCursor } = pageOf(matching, page);
    const answer = {
      items: items.map(leadRow),
      ...(nextCursor ? { nextCursor } : {}),
      total: matching.length,
      counts,
      pipeline,
    };
    // A tab polling every few seconds gets 304 while nothing it shows changed.
    const etag = `W/"${createHash('sha1').update(JSON.stringify(answer)).digest('base64url')}"`;
    res.header('ETag', etag);
    res.header('Cache-Control', 'private, no-cache');
    res.header('Vary', 'Authorization, Accept-Language');
    if (req.headers['if-none-match'] === etag) {
      res.status(304);
      res.end();
      return;
    }
    res.send(200, answer);
  };
}

function exportCsv(deps: TabApiDeps): Handler {
  return async (req, res, viewer) => {
    const filter = readFilter(req, deps);
    const leads = sortNewestFirst(withStatus(await visibleLeads(deps, viewer, filter), filter));
    const day = deps.now().toISOString().slice(0, 10);
    res.sendRaw(200, leadsCsv(leads, viewer, deps.config.contactVisibility), {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="leads-${day}.csv"`,
      'X-Content-Type-Options': 'nosniff',
    });
  };
}

/** The lead by the `:id` in the path, if this person may see it; else the card's "no such lead". */
async function findLead(req: Request, deps: TabApiDeps, viewer: Viewer): Promise<Lead | undefined> {
  const raw = String(req.params?.id ?? '');
  const id = normaliseLeadId(raw);
  const lead = id ? await deps.store.getLead(id) : undefined;
  return lead && canSee(lead, viewer) ? lead : undefined;
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
  const roster = await rosterForLead(lead, deps.store);
  return leadDetails(lead, viewer, roster, t, deps.config.contactVisibility);
}

function showLead(deps: TabApiDeps): Handler {
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

function runAction(deps: TabApiDeps): Handler {
  return async (req, res, viewer, t) => {
    const parsed = actionBody.safeParse(await readJson(req));
    const verb = parsed.success ? VERBS[parsed.data.verb] : undefined;
    if (!parsed.success || !verb)
      throw new ValidationError(
        `Send JSON {"verb": one of ${Object.keys(VERBS).join(', ')}, "version": the lead's version, …inputs}.`,
      );
    const lead = await findLead(req, deps, viewer);
    if (!lead) return notFound(res, req, t);
    const roster = await rosterForLead(lead, deps.store);
    const action = parseActionInputs(verb, parsed.data, roster);
    if ('invalid' in action) {
      res.send(400, {
        error: { code: 'invalid_input', field: action.invalid, message: t(`input.${action.invalid}`) },
      });
      return;
    }
    const result = await act(deps, {
      leadId: lead.id,
      version: parsed.data.version,
      action,
      actor: viewer.actor,
      place: placeFor(lead, viewer),
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
        await deps.publish(result.lead, verb, viewer.actor.name);
        res.send(200, { lead: await details(result.lead, viewer, t, deps) });
        return;
    }
  };
}

function showSummary(deps: TabApiDeps): Handler {
  return async (req, res, viewer, t) => {
    if (commandRefusal('managers', viewer.actor, deps.config.managers)) {
      sendError(res, 403, 'forbidden', t('refusal.managersOnly'));
      return;
    }
    const query = queryOf(req);
    const period = parsePeriod(query.get('period') ?? '', deps.now(), deps.config.timeZone);
    if (!period) throw new ValidationError(t('summary.badPeriod'));
    const offer = query.get('offer')?.trim().slice(0, 100) || undefined;
    const team = query.get('team')?.trim() || undefined;
    const received = await deps.store.listLeadsReceived(period.from, period.to);
    // One team's figures (the tab in a channel), or all this person may see.
    const leads = received.filter(
      (lead) => canSee(lead, viewer) && (!team || lead.deliveries.some((d) => d.teamId === team)),
    );
    const { summary, series } = summarizeWithSeries(leads, period, deps.config.timeZone, offer);
    res.send(200, {
      summary: {
        ...summary,
        period: { ...period, from: period.from.toISOString(), to: period.to.toISOString() },
      },
      series,
    });
  };
}
