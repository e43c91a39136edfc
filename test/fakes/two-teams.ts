// Two teams of one tenant and the people on them, for the specs of scope (every surface, the
// message extension): Ann on A, Ben on B, Sam on both, Gina a guest, Zed on none.
import type { Harness } from '../http/harness.js';
import { installActivity, type TeamsUser } from './activities.js';
import { FakeConnector, type Member } from './fake-connector.js';

export const TEAM_A = '19:team-a@thread.tacv2';
export const TEAM_B = '19:team-b@thread.tacv2';
export const CHANNEL_A = '19:leads-a@thread.tacv2';
export const CHANNEL_B = '19:leads-b@thread.tacv2';

/** A Teams user who is also a roster member (`name@contoso.com`). */
export const person = (name: string): TeamsUser & Member => ({
  id: `29:${name}`,
  aadObjectId: `aad-${name}`,
  name: `${name[0]?.toUpperCase()}${name.slice(1)}`,
  userPrincipalName: `${name}@contoso.com`,
  email: `${name}@contoso.com`,
  userRole: 'user',
});

export const ann = person('ann'); // team A
export const ben = person('ben'); // team B
export const sam = person('sam'); // both teams
export const gina: TeamsUser & Member = { ...person('gina'), userRole: 'guest' };

/** The fake connector playing both teams, each with its roster. */
export function twoTeamConnector(rosters: { a: Member[]; b: Member[] }): Promise<FakeConnector> {
  return FakeConnector.start({
    channels: [
      { id: CHANNEL_A, name: 'Leads' },
      { id: CHANNEL_B, name: 'Leads' },
    ],
    rosters: { [TEAM_A]: rosters.a, [TEAM_B]: rosters.b },
  });
}

/** The bot added to both teams from their lead channels (in `tenantId`, else the fakes' tenant). */
export async function installInBothTeams(
  harness: Harness,
  connectorUrl: string,
  tenantId?: string,
): Promise<void> {
  for (const [team, channel] of [
    [TEAM_A, CHANNEL_A],
    [TEAM_B, CHANNEL_B],
  ] as const) {
    const install = installActivity(connectorUrl, ann);
    const tenant = tenantId ?? install.conversation.tenantId;
    await harness.postActivity({
      ...install,
      conversation: { ...install.conversation, id: channel, tenantId: tenant },
      channelData: {
        ...install.channelData,
        tenant: { id: tenant },
        team: { id: team, name: team },
        channel: { id: channel },
      },
    });
  }
}
