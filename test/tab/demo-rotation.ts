// The demo team's automatic assignment, for the tab's screenshots and accessibility checks: set in
// the store as the `auto-assign` and `away` commands would set it (on, capacity, `only`, two rules),
// with each person's last turn taken from the demo pipeline's assignments.
import type { AutoAssign } from '../../src/leads/auto-assign.js';
import type { Lead } from '../../src/leads/lead.js';
import { TEAM_ID } from '../fakes/activities.js';
import type { Member } from '../fakes/fake-connector.js';
import type { TeamsHarness } from '../http/harness.js';

const DAY = 86_400_000;

/** Two more people for the demo team: one away, one left out of the rotation. */
export const DEMO_EXTRA_MEMBERS: Member[] = [
  {
    id: '29:adele',
    aadObjectId: 'aad-adele',
    name: 'Adele Vance',
    userPrincipalName: 'adelev@contoso.com',
    email: 'adelev@contoso.com',
    userRole: 'user',
  },
  {
    id: '29:lee',
    aadObjectId: 'aad-lee',
    name: 'Lee Gu',
    userPrincipalName: 'leeg@contoso.com',
    email: 'leeg@contoso.com',
    userRole: 'user',
  },
];

/** Who was given a lead last and when, from the leads' histories (claims and assignments). */
function turnsOf(leads: readonly Lead[]): Record<string, string> {
  const turns: Record<string, string> = {};
  for (const lead of leads)
    for (const entry of lead.history) {
      if (entry.action !== 'claim' && entry.action !== 'assign') continue;
      const id = entry.action === 'claim' ? entry.by.aadObjectId : lead.owner?.aadObjectId;
      if (id && (turns[id] ?? '') < entry.at) turns[id] = entry.at;
    }
  return turns;
}

export async function seedDemoRotation(
  teams: TeamsHarness,
  leads: readonly Lead[],
  now = new Date(),
): Promise<void> {
  const store = teams.harness.app.store;
  const everyone = (await store.getInstallation(TEAM_ID))?.members ?? [];
  const turns = turnsOf(leads);
  if (everyone.some((m) => m.aadObjectId === 'aad-adele'))
    turns['aad-adele'] = new Date(now.getTime() - 2.2 * DAY).toISOString();
  await store.updateAutoAssign(
    TEAM_ID,
    (): AutoAssign => ({
      teamId: TEAM_ID,
      enabled: true,
      only: ['meganb@contoso.com', 'alexw@contoso.com', 'adelev@contoso.com'],
      capacity: 4,
      rules: [
        { field: 'country', values: ['PT', 'BR'], to: ['meganb@contoso.com'] },
        { field: 'priority', values: ['high'], to: ['alexw@contoso.com', 'adelev@contoso.com'] },
      ],
      turns,
      changedBy: { aadObjectId: 'aad-megan', name: 'Megan Bowen' },
      changedAt: new Date(now.getTime() - 3 * 3_600_000).toISOString(),
    }),
  );
  const away =
    everyone.find((m) => m.aadObjectId === 'aad-adele') ?? everyone.find((m) => m.aadObjectId === 'aad-alex');
  if (away)
    await store.putAway({
      aadObjectId: away.aadObjectId,
      name: away.name,
      until: `${new Date(now.getTime() + 4 * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`,
      setAt: now.toISOString(),
    });
}
