// Scope through every surface, on the real server: two teams of one tenant, each with its lead.
// A member of team B sees nothing of team A's lead wherever they ask (a personal chat, team B's
// channel, a card click, the tab's list, details, CSV and summary, a digest); a member of both sees
// both; someone removed from team A sees nothing of it at once; a manager sees what MANAGERS gives.
import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import { parsePeriod } from '../../src/leads/period.js';
import {
  BOT_ID,
  cardActionActivity,
  channelMessage,
  installActivity,
  type TeamsUser,
} from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import { FakeEntra, TAB_TENANT_ID } from '../fakes/entra.js';
import type { FakeConnector } from '../fakes/fake-connector.js';
import { makeLead } from '../fakes/lead-factory.js';
import {
  ann,
  ben,
  CHANNEL_A,
  CHANNEL_B,
  gina,
  installInBothTeams,
  person,
  sam,
  TEAM_A,
  TEAM_B,
  twoTeamConnector,
} from '../fakes/two-teams.js';
import { Harness } from '../http/harness.js';

const boss = person('boss'); // MANAGERS, on team A's roster only

type Activity = { conversation: object; channelData: object; text?: string; entities?: unknown[] };

/** The activity as Teams sends it from team `team`'s channel, in the tab's tenant (one tenant for both). */
function inTeam<T extends Activity>(activity: T, team: string, channel: string): T {
  return {
    ...activity,
    conversation: { ...activity.conversation, id: channel, tenantId: TAB_TENANT_ID },
    channelData: {
      ...activity.channelData,
      tenant: { id: TAB_TENANT_ID },
      team: { id: team, name: team },
      channel: { id: channel },
    },
  };
}

/** The same in the person's personal chat with the bot: no team, no mention. */
function personal<T extends Activity>(activity: T, user: TeamsUser): T {
  return {
    ...activity,
    ...(activity.text === undefined
      ? {}
      : { text: activity.text.replace('<at>Lead Assistant</at> ', ''), entities: [] }),
    conversation: { id: `a:personal-${user.id}`, conversationType: 'personal', tenantId: TAB_TENANT_ID },
    channelData: { tenant: { id: TAB_TENANT_ID } },
  };
}

describe('scope on every surface: two teams, one tenant', () => {
  let connector: FakeConnector;
  let entra: FakeEntra;
  let harness: Harness;
  let leadA: Lead;
  let leadB: Lead;

  before(async function () {
    this.timeout(30_000);
    connector = await twoTeamConnector({ a: [ann, sam, boss, gina], b: [ben, sam, gina] });
    entra = await FakeEntra.start();
    harness = await Harness.start({ ...entra.env(), MANAGERS: 'boss@contoso.com' });
    await installInBothTeams(harness, connector.url, TAB_TENANT_ID);
    const posted = (team: string, channel: string) => [
      {
        teamId: team,
        conversationId: channel,
        state: 'posted' as const,
        attempts: 1,
        activityId: `card-${team}`,
        threadId: `${channel};messageid=1`,
      },
    ];
    leadA = await harness.app.store.createLead(
      makeLead({
        id: 'L-AAAAA',
        fingerprint: 'a',
        receivedAt: new Date().toISOString(),
        customer: {
          firstName: 'Alice',
          lastName: 'Alpha',
          company: 'Alphacorp',
          email: 'alice@alpha.example',
        },
        deliveries: posted(TEAM_A, CHANNEL_A),
      }),
    );
    leadB = await harness.app.store.createLead(
      makeLead({
        id: 'L-BBBBB',
        fingerprint: 'b',
        receivedAt: new Date().toISOString(),
        customer: { firstName: 'Bob', lastName: 'Beta', company: 'Betacorp', email: 'bob@beta.example' },
        deliveries: posted(TEAM_B, CHANNEL_B),
      }),
    );
  });

  after(async () => {
    await harness.stop();
    await connector.close();
    await entra.close();
  });

  /** What the bot answers (text or card text) to an activity in its conversation. */
  async function answer(activity: { conversation: { id: string } }): Promise<string> {
    const before = connector.requests.length;
    const response = await harness.postActivity(activity);
    if ((activity as { type?: string }).type === 'invoke') {
      const body = (await response.json()) as { type: string; value: unknown };
      return body.type === 'application/vnd.microsoft.activity.message'
        ? String(body.value)
        : cardText(body.value);
    }
    const reply = await connector.waitFor(
      (r) =>
        connector.requests.indexOf(r) >= before &&
        r.kind === 'post' &&
        r.conversationId === activity.conversation.id,
    );
    return reply.body.text ?? cardText(reply.body);
  }

  const say = (user: TeamsUser, text: string, where: 'personal' | 'A' | 'B') => {
    const message = channelMessage(connector.url, text, user);
    if (where === 'personal') return answer(personal(message, user));
    return answer(where === 'A' ? inTeam(message, TEAM_A, CHANNEL_A) : inTeam(message, TEAM_B, CHANNEL_B));
  };

  const click = (user: TeamsUser, lead: Lead, where: 'personal' | 'A' | 'B') => {
    const base = cardActionActivity(connector.url, {
      threadId: where === 'B' ? CHANNEL_B : CHANNEL_A,
      activityId: 'card-x',
      verb: 'lead.claim',
      data: { leadId: lead.id, version: lead.version },
      from: user,
    });
    const activity =
      where === 'personal'
        ? personal(base, user)
        : inTeam(base, where === 'A' ? TEAM_A : TEAM_B, where === 'A' ? CHANNEL_A : CHANNEL_B);
    return answer(activity);
  };

  async function tab(user: TeamsUser, path: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`${harness.url}${path}`, {
      headers: { authorization: `Bearer ${await entra.mint(user.aadObjectId)}` },
    });
    return { status: response.status, text: await response.text() };
  }

  /** Which of the two leads this person finds on a surface (by their companies, as each surface shows them). */
  const seen = (text: string) => ['Alphacorp', 'Betacorp'].filter((company) => text.includes(company));

  it('a member of team B sees nothing of team A’s lead, in any chat, click, the tab or a digest', async () => {
    assert.match(await say(ben, 'lead L-AAAAA', 'personal'), /There is no lead L-AAAAA/);
    assert.match(await say(ben, 'lead L-AAAAA', 'B'), /There is no lead L-AAAAA/);
    assert.deepEqual(seen(await say(ben, 'find corp', 'personal')), ['Betacorp']);
    assert.match(await say(ben, 'find alpha.example', 'personal'), /\(0\)/);
    assert.deepEqual(seen(await say(ben, 'unassigned', 'personal')), ['Betacorp']);
    assert.deepEqual(seen(await say(ben, 'unassigned', 'B')), ['Betacorp']);
    for (const where of ['personal', 'B'] as const)
      assert.match(await click(ben, leadA, where), /There is no lead L-AAAAA/, where);
    assert.equal((await harness.app.store.getLead('L-AAAAA'))?.status, 'new', 'nobody claimed it');

    assert.deepEqual(seen((await tab(ben, '/api/tab/leads')).text), ['Betacorp']);
    assert.equal((await tab(ben, '/api/tab/leads/L-AAAAA')).status, 404);
    assert.deepEqual(seen((await tab(ben, '/api/tab/leads.csv')).text), ['Betacorp']);
  });

  it('a summary and a digest count only the teams of where they are asked', async () => {
    // Ben is no manager (MANAGERS is set): refused. The manager in team B's channel: B's lead only.
    assert.match(await say(ben, 'summary week', 'personal'), /Only managers/);
    const inB = await say(boss, 'summary week', 'B');
    assert.match(inB, /Leads summary/);
    assert.doesNotMatch(inB, /Alphacorp|Alice|L-AAAAA/);
    const summaryB = JSON.parse(
      (await tab(boss, `/api/tab/summary?period=week&team=${encodeURIComponent(TEAM_B)}`)).text,
    );
    assert.equal(summaryB.summary.received, 1);
    const summaryAll = JSON.parse((await tab(boss, '/api/tab/summary?period=week')).text);
    assert.equal(summaryAll.summary.received, 2);

    await say(boss, 'digest daily 08:30', 'B');
    await say(ben, 'digest daily 08:30', 'personal'); // refused: managers only
    await say(boss, 'digest weekly 08:30', 'personal');
    const period = parsePeriod('week', new Date(), 'UTC');
    assert.ok(period);
    const digests = await harness.app.store.listDigests();
    const inChannel = digests.find((d) => d.conversationId === CHANNEL_B);
    const bossChat = digests.find((d) => d.reader?.aadObjectId === boss.aadObjectId);
    assert.ok(inChannel && bossChat && digests.length === 2, JSON.stringify(digests));
    assert.deepEqual(
      (await harness.app.door.digestLeads(inChannel, period))?.map((l) => l.id),
      ['L-BBBBB'],
    );
    assert.deepEqual((await harness.app.door.digestLeads(bossChat, period))?.map((l) => l.id).sort(), [
      'L-AAAAA',
      'L-BBBBB',
    ]);
  });

  it('a member of both teams sees both; a manager sees their tenant, narrowed to a team in its channel', async () => {
    assert.deepEqual(seen(await say(sam, 'find corp', 'personal')), ['Alphacorp', 'Betacorp']);
    assert.deepEqual(seen((await tab(sam, '/api/tab/leads')).text), ['Alphacorp', 'Betacorp']);
    assert.deepEqual(
      seen(await say(sam, 'find corp', 'A')),
      ['Alphacorp'],
      'team A’s channel shows team A’s',
    );
    assert.match(await say(sam, 'lead L-BBBBB', 'A'), /There is no lead L-BBBBB/);
    assert.deepEqual(seen(await say(boss, 'find corp', 'personal')), ['Alphacorp', 'Betacorp']);
    assert.deepEqual(seen((await tab(boss, '/api/tab/leads')).text), ['Alphacorp', 'Betacorp']);
    // A guest sees nothing outside the channel whose cards they already see.
    assert.deepEqual(seen(await say(gina, 'find corp', 'personal')), []);
    assert.deepEqual(seen((await tab(gina, '/api/tab/leads')).text), []);
    assert.match(await click(gina, leadA, 'A'), /Guests can’t work on leads/);
  });

  it('someone removed from team A loses its lead at once, on every surface', async () => {
    assert.deepEqual(seen(await say(ann, 'find corp', 'personal')), ['Alphacorp']);
    connector.setRoster(TEAM_A, [sam, boss, gina]);
    const removal = {
      ...inTeam(installActivity(connector.url, boss), TEAM_A, CHANNEL_A),
      membersAdded: undefined,
      membersRemoved: [{ id: ann.id, aadObjectId: ann.aadObjectId }],
      channelData: {
        tenant: { id: TAB_TENANT_ID },
        team: { id: TEAM_A, name: 'A' },
        eventType: 'teamMemberRemoved',
      },
    };
    assert.equal((await harness.postActivity(removal)).status < 300, true);
    assert.deepEqual(seen(await say(ann, 'find corp', 'personal')), []);
    assert.deepEqual(seen((await tab(ann, '/api/tab/leads')).text), []);
    assert.equal((await tab(ann, '/api/tab/leads/L-AAAAA')).status, 404);
    assert.match(await click(ann, leadA, 'personal'), /There is no lead L-AAAAA/);
    assert.notEqual(BOT_ID, ann.id);
  });

  it('a roster over five minutes old is read again before it decides, so a removal Teams never announced counts', async () => {
    connector.setRoster(TEAM_B, [sam, gina]); // Ben left team B; no event came
    const store = harness.app.store;
    const team = await store.getInstallation(TEAM_B);
    assert.ok(
      team?.members?.some((m) => m.aadObjectId === ben.aadObjectId),
      'still on the stored roster',
    );
    if (!team) return;
    await store.putInstallation({ ...team, membersReadAt: new Date(Date.now() - 6 * 60_000).toISOString() });
    assert.deepEqual(seen((await tab(ben, '/api/tab/leads')).text), []);
    assert.equal(
      (await store.getInstallation(TEAM_B))?.members?.some((m) => m.aadObjectId === ben.aadObjectId),
      false,
    );
    assert.ok(leadB);
  });
});
