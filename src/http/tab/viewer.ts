import { type Actor, isListedManager } from '../../leads/access.js';
import type { Lead } from '../../leads/lead.js';
import type { Installation, Installations } from '../../leads/store.js';
import type { Place } from '../../leads/workflow.js';
import type { TabUser } from '../sso.js';

/**
 * The person behind a tab token, as the access rules need them. A token cannot say "guest", so
 * the stored rosters decide (they leave guests out): a person on no team's roster and not in
 * MANAGERS has no teams, sees no lead and may do nothing (an actor treated as a guest).
 */
export interface Viewer {
  user: TabUser;
  actor: Actor;
  /** Teams (of the token's tenant) whose roster lists this person. */
  teams: Installation[];
}

export async function resolveViewer(
  user: TabUser,
  store: Installations,
  managers: readonly string[],
): Promise<Viewer> {
  const teams = (await store.listInstallations()).filter(
    (i) => i.tenantId.toLowerCase() === user.tid && i.members?.some((m) => m.aadObjectId === user.oid),
  );
  // The roster's records carry the UPN and e-mail MANAGERS may name; the token's are mutable.
  const records = teams.flatMap((t) => t.members?.filter((m) => m.aadObjectId === user.oid) ?? []);
  const isManager = isListedManager([{ aadObjectId: user.oid }, ...records], managers);
  return {
    user,
    teams,
    actor: {
      aadObjectId: user.oid,
      name: records[0]?.name || user.name,
      isManager,
      isGuest: !isManager && teams.length === 0,
    },
  };
}

/** Managers see every lead; others the leads posted to a team they are on. */
export function canSee(lead: Lead, viewer: Viewer): boolean {
  if (viewer.actor.isManager) return true;
  return lead.deliveries.some((d) => viewer.teams.some((t) => t.teamId === d.teamId));
}

/** Where a tab action comes from, for the workflow's place check: the token's tenant, the viewer's team. */
export function placeFor(lead: Lead, viewer: Viewer): Place {
  const team = viewer.teams.find((t) => lead.deliveries.some((d) => d.teamId === t.teamId));
  return { tenantId: team?.tenantId ?? viewer.user.tid, ...(team ? { teamId: team.teamId } : {}) };
}
