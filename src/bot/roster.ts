import { TeamsInfo, type TurnContext, teamsGetTeamInfo } from 'botbuilder';
import type { Lead } from '../leads/lead.js';
import type { Installations, RosterMember } from '../leads/store.js';
import { describeError } from '../log.js';
import type { BotDeps } from './bot-deps.js';

const MAX_PAGES = 20;

/** The team's members who may work leads, read through the connector (guests left out). */
export async function readRoster(
  context: TurnContext,
  teamId: string,
  deps: Pick<BotDeps, 'log'>,
): Promise<RosterMember[]> {
  const members: RosterMember[] = [];
  try {
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await TeamsInfo.getPagedTeamMembers(context, teamId, 500, token);
      for (const m of result.members) {
        if (m.userRole === 'guest' || !m.aadObjectId) continue;
        members.push({
          id: m.id,
          aadObjectId: m.aadObjectId,
          name: m.name || m.email || m.userPrincipalName || m.id,
          ...(m.userPrincipalName ? { userPrincipalName: m.userPrincipalName } : {}),
          ...(m.email ? { email: m.email } : {}),
        });
      }
      token = result.continuationToken;
      if (!token) break;
    }
  } catch (error) {
    deps.log.warn('could not read the team roster', { error: describeError(error) });
  }
  return members.sort((a, b) => a.name.localeCompare(b.name));
}

const ROSTER_MAX_AGE_MS = 60 * 60 * 1000;

/** Re-reads the roster of the team this turn came from when it is over an hour old (people join and leave). */
export async function refreshRosterIfStale(context: TurnContext, deps: BotDeps): Promise<void> {
  const teamId = teamsGetTeamInfo(context.activity)?.id;
  if (!teamId) return;
  const installation = await deps.store.getInstallation(teamId);
  if (!installation) return;
  const readAt = Date.parse(installation.membersReadAt ?? '');
  if (Number.isFinite(readAt) && deps.now().getTime() - readAt < ROSTER_MAX_AGE_MS) return;
  const members = await readRoster(context, teamId, deps);
  if (members.length === 0) return; // keep the last good roster if the read failed
  await deps.store.putInstallation({ ...installation, members, membersReadAt: deps.now().toISOString() });
}

/** The roster of the team a lead was posted to (for the Assign form on its card). */
export async function rosterForLead(lead: Lead, store: Installations): Promise<RosterMember[]> {
  for (const delivery of lead.deliveries) {
    const installation = await store.getInstallation(delivery.teamId);
    if (installation?.members?.length) return installation.members;
  }
  return [];
}
