// GET /api/tab/auto-assign?team=<id>: a team's automatic assignment as its managers see it (the
// `auto-assign` status, read-only). The door decides who may see which team; this file only reads
// `team`, asks, and writes the answer out field by field, so nothing the view gains later (turns,
// the `only` list) is sent without being chosen here.
import { ValidationError } from '../../errors.js';
import type { AutoAssignView } from '../../leads/door.js';
import { sendError } from '../error-answer.js';
import { queryOf, type TabApiDeps, type TabHandler } from './route-kit.js';

/** Teams' team ids ("19:…@thread.tacv2") are far shorter; anything longer is not one. */
const MAX_TEAM_ID = 200;

export function showAutoAssign(deps: TabApiDeps): TabHandler {
  return async (req, res, viewer, t) => {
    const team = queryOf(req).get('team')?.trim() ?? '';
    if (!team) throw new ValidationError('Send ?team=<the team’s id>: automatic assignment is per team.');
    if (team.length > MAX_TEAM_ID)
      throw new ValidationError(`team is too long (at most ${MAX_TEAM_ID} characters).`);
    // The tab in a team's channel: that place narrows what this person may see, as in the summary.
    const view = await deps.door.autoAssign({ ...viewer.actor, placeTeamId: team }, team);
    if (!view) {
      sendError(res, 404, 'not_found', t('error.teamNotFound'));
      return;
    }
    if ('refused' in view) {
      res.send(403, {
        error: { code: 'forbidden', refusal: view.refused, message: t('refusal.autoAssignManagersOnly') },
      });
      return;
    }
    res.send(200, { autoAssign: autoAssignJson(view) });
  };
}

/** The view as the tab reads it: names and object ids, counts and ISO times; rules as the manager set them. */
export function autoAssignJson(view: AutoAssignView) {
  const { settings } = view;
  return {
    teamId: view.teamId,
    teamName: view.teamName,
    enabled: settings.enabled,
    /** Everyone on the roster who is not a guest, or only the people the rows mark. */
    everyone: settings.only === undefined,
    ...(settings.capacity !== undefined ? { capacity: settings.capacity } : {}),
    // `to` names people by the e-mail or UPN the manager typed: what `auto-assign` shows them in chat.
    rules: settings.rules.map((rule) => ({ field: rule.field, values: [...rule.values], to: [...rule.to] })),
    ...(settings.changedBy ? { changedBy: { name: settings.changedBy.name } } : {}),
    ...(settings.changedAt ? { changedAt: settings.changedAt } : {}),
    rotation: view.rotation.map((row) => ({
      aadObjectId: row.person.aadObjectId,
      name: row.person.name,
      inRotation: row.inRotation,
      openLeads: row.openLeads,
      ...(row.lastAssigned ? { lastAssigned: row.lastAssigned } : {}),
      ...(row.awayUntil ? { awayUntil: row.awayUntil } : {}),
      full: row.full,
      next: row.next,
    })),
  };
}
