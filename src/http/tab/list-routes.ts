// GET /api/tab/leads (the board and list: a page, counts by status, pipeline per currency, an
// ETag to poll cheaply) and GET /api/tab/leads.csv (the same filters, every row).
import { createHash } from 'node:crypto';
import type { Request } from 'restify';
import { LEAD_STATUSES, type Lead, type LeadStatus } from '../../leads/lead.js';
import { leadsCsv } from './csv.js';
import {
  type LeadFilter,
  matchesExceptStatus,
  pageOf,
  parseLeadFilter,
  parsePage,
  searched,
  sortNewestFirst,
} from './lead-query.js';
import { leadRow } from './lead-view.js';
import { queryOf, type TabApiDeps, type TabHandler } from './route-kit.js';
import type { Viewer } from './viewer.js';

/** The leads this person may see that match every filter but status (the board counts those). */
async function visibleLeads(deps: TabApiDeps, viewer: Viewer, filter: LeadFilter): Promise<Lead[]> {
  const visible = await deps.door.visibleLeads(viewer.actor, filter.period);
  const matches = matchesExceptStatus(filter, viewer.actor.aadObjectId);
  return searched(visible.filter(matches), filter.q, {
    viewer: viewer.actor,
    visibility: deps.config.contactVisibility,
  });
}

function readFilter(req: Request, deps: TabApiDeps): LeadFilter {
  return parseLeadFilter(queryOf(req), deps.now(), deps.config.timeZone);
}

function withStatus(leads: Lead[], filter: LeadFilter): Lead[] {
  const statuses = filter.statuses;
  return statuses ? leads.filter((l) => statuses.includes(l.status)) : leads;
}

export function listLeads(deps: TabApiDeps): TabHandler {
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

export function exportCsv(deps: TabApiDeps): TabHandler {
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
