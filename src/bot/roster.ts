import { type CloudAdapter, TeamsInfo, type TurnContext } from 'botbuilder';
import type { RosterReader } from '../leads/rosters.js';
import type { RosterMember } from '../leads/store.js';

const MAX_PAGES = 20;

/** The team's members who may work leads, read through the connector (guests left out); rejects when it cannot. */
export async function readRoster(context: TurnContext, teamId: string): Promise<RosterMember[]> {
  const members: RosterMember[] = [];
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
  return members.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Rosters read outside a turn (the tab, a personal chat, a digest), in the team's own conversation,
 * as a proactive post would be: the door asks when a stored roster is too old to decide access.
 */
export function createRosterReader(adapter: CloudAdapter, botAppId: string): RosterReader {
  return {
    async readRoster(installation) {
      let members: RosterMember[] | undefined;
      let failure: unknown;
      await adapter.continueConversationAsync(
        botAppId,
        {
          channelId: 'msteams',
          serviceUrl: installation.serviceUrl,
          bot: { id: installation.botId, name: '' },
          conversation: {
            id: installation.teamId,
            isGroup: true,
            conversationType: 'channel',
            tenantId: installation.tenantId,
            name: '',
          },
        },
        async (context) => {
          try {
            members = await readRoster(context, installation.teamId);
          } catch (error) {
            failure = error;
          }
        },
      );
      if (failure !== undefined) throw failure;
      if (!members || members.length === 0) throw new Error('Teams gave an empty roster.');
      return members;
    },
  };
}
