import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Lead } from '../leads/lead.js';
import { describeError } from '../log.js';
import type { LeadStore, RosterMember } from '../store/lead-store.js';
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

/** The roster of the team a lead was posted to (for the Assign form on its card). */
export async function rosterForLead(lead: Lead, store: LeadStore): Promise<RosterMember[]> {
  for (const delivery of lead.deliveries) {
    const installation = await store.getInstallation(delivery.teamId);
    if (installation?.members?.length) return installation.members;
  }
  return [];
}
