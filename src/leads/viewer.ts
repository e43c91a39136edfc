// Scope, decided once: who is asking, which teams' leads they may see, whether they are a manager
// or a guest. Every surface (chat, card clicks, the tab, digests, the message extension) builds an
// Asker and the door turns it into a Viewer here; nothing else decides who sees what.
import { type Actor, isListedManager } from './access.js';
import type { Lead } from './lead.js';
import type { Installation } from './store.js';

/** Who is asking, as a surface knows them (an activity's sender, a token's subject), and from where. */
export interface Asker {
  aadObjectId: string;
  name: string;
  /** The tenant the request comes from (the activity's, the token's). */
  tenantId: string | undefined;
  /** The team whose channel the request comes from: what is seen there is that team's leads only. */
  teamId?: string | undefined;
}

/** A person and the teams whose roster lists them: what they may see follows from this alone. */
export interface Viewer extends Actor {
  tenantId: string | undefined;
  /** The teams (of the asker's tenant) whose stored roster lists this person. */
  teams: readonly Installation[];
  /**
   * The team whose channel the request comes from, as Teams vouches for it (an authenticated
   * activity's channelData), never as a caller claims it: it narrows what is seen.
   */
  placeTeamId?: string;
  /** Teams the bot is in that belong to another tenant: their leads are never seen. */
  foreignTeamIds: ReadonlySet<string>;
}

/**
 * The one guest rule: rosters leave guests out (roster.ts reads them so), so a person on no roster
 * of their tenant who is not in MANAGERS is a guest: they see nothing and may do nothing. Managers
 * are those MANAGERS names, by any of the names their roster records carry.
 */
export function viewerOf(
  asker: Asker,
  installations: readonly Installation[],
  managers: readonly string[],
): Viewer {
  const tenant = asker.tenantId?.toLowerCase();
  const inTenant = (i: Installation) => tenant !== undefined && i.tenantId.toLowerCase() === tenant;
  const teams = installations.filter(
    (i) => inTenant(i) && i.members?.some((m) => m.aadObjectId === asker.aadObjectId),
  );
  // The roster's records carry the UPN and e-mail MANAGERS may name; a token's claims are mutable.
  const records = teams.flatMap((t) => t.members?.filter((m) => m.aadObjectId === asker.aadObjectId) ?? []);
  const isManager = isListedManager([{ aadObjectId: asker.aadObjectId }, ...records], managers);
  return {
    aadObjectId: asker.aadObjectId,
    name: records[0]?.name || asker.name,
    isManager,
    isGuest: !isManager && teams.length === 0,
    tenantId: asker.tenantId,
    teams,
    ...(asker.teamId ? { placeTeamId: asker.teamId } : {}),
    foreignTeamIds: new Set(installations.filter((i) => !inTenant(i)).map((i) => i.teamId)),
  };
}

/**
 * Whether this viewer may see this lead, here. A lead belongs to the teams it was routed to (its
 * deliveries). Asked from a team's channel, only that team's leads; a manager sees every lead of
 * their tenant (and those no channel has yet); anyone else the leads of the teams they are on. A
 * guest sees nothing but, in a team's channel, what that channel's cards already show them (and
 * may do nothing with it: access.ts refuses guests every action).
 */
export function canSee(lead: Lead, viewer: Viewer): boolean {
  return canSeeTeams(
    lead.deliveries.map((d) => d.teamId),
    viewer,
  );
}

/** `canSee` for whatever belongs to these teams (a lead; a summary's rollup cell of such leads). */
export function canSeeTeams(teamIds: readonly string[], viewer: Viewer): boolean {
  const place = viewer.placeTeamId;
  // A place in another tenant than the asker's (forged or pasted elsewhere) shows nothing.
  if (place !== undefined && (!teamIds.includes(place) || viewer.foreignTeamIds.has(place))) return false;
  if (viewer.isManager) return !teamIds.some((id) => viewer.foreignTeamIds.has(id));
  if (viewer.isGuest) return viewer.placeTeamId !== undefined;
  return teamIds.some((id) => viewer.teams.some((t) => t.teamId === id));
}

/** The viewer's view of a list: the leads they may see here, in the same order. */
export function visibleTo(leads: readonly Lead[], viewer: Viewer): Lead[] {
  return leads.filter((lead) => canSee(lead, viewer));
}

/** A team's own view (its digest): that team's leads, as any member of it sees them. */
export function teamViewer(team: Installation): Viewer {
  return {
    aadObjectId: `team:${team.teamId}`,
    name: team.teamName,
    isManager: false,
    isGuest: false,
    tenantId: team.tenantId,
    teams: [team],
    placeTeamId: team.teamId,
    foreignTeamIds: new Set(),
  };
}
