import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import { AzureTableStore } from '../../src/store/azure-table-store.js';
import {
  alex,
  channelMessage,
  installActivity,
  megan,
  TEAM_ID,
  TENANT_ID,
  type TeamsUser,
} from '../fakes/activities.js';
import { type Azurite, startAzurite } from '../fakes/azurite.js';
import { cardText } from '../fakes/card-text.js';
import { defaultMembers, FakeConnector, type Member } from '../fakes/fake-connector.js';
import { leadFixture } from '../fixtures/load.js';
import { Harness, TeamsHarness } from './harness.js';

// Automatic assignment through the real server and the fake Bot Connector: Megan is the manager
// (MANAGERS), Alex and Diego are members, Gina is a guest (never in the rotation).

const diego: TeamsUser = { id: '29:diego', aadObjectId: 'aad-diego', name: 'Diego Siciliani' };
const members: Member[] = [
  ...defaultMembers,
  {
    ...diego,
    userPrincipalName: 'diegos@contoso.com',
    email: 'diegos@contoso.com',
    userRole: 'user',
  },
];
const MANAGER_ENV = { MANAGERS: 'meganb@contoso.com' };

let buyers = 0;
/** A new buyer each time (not a repeat): Contact me, from `country`. */
function newLead(country = 'United States'): string {
  const payload = JSON.parse(leadFixture('contact-me'));
  buyers++;
  payload.UserDetails = {
    ...payload.UserDetails,
    Email: `buyer${buyers}@fabrikam${buyers}.com`,
    Country: country,
  };
  return JSON.stringify(payload);
}

function owners(leads: Lead[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const lead of leads) {
    const name = lead.owner?.name ?? 'nobody';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

describe('automatic assignment in Teams, through the server', () => {
  let teams: TeamsHarness;
  beforeEach(async () => {
    teams = await TeamsHarness.start({ members, env: MANAGER_ENV });
  });
  afterEach(() => teams.stop());

  /** Says `text` in the lead channel as `who`; the reply's text and card, as one text. */
  async function say(text: string, who: TeamsUser = megan): Promise<string> {
    const { connector, harness } = teams;
    const before = connector.requests.length;
    await harness.postActivity(channelMessage(connector.url, text, who));
    const reply = await connector.waitFor(
      (r) => r.kind === 'post' && connector.requests.indexOf(r) >= before,
    );
    const card = reply.body.attachments?.[0]?.content;
    return [reply.body.text ?? '', card ? cardText(card) : ''].join('\n');
  }

  async function arrive(count: number, country?: string): Promise<Lead[]> {
    const leads: Lead[] = [];
    for (let i = 0; i < count; i++) leads.push(await teams.postedLead(newLead(country)));
    return leads;
  }

  it('gives six leads to three members two each, says so on the card, tells each owner, and skips someone away', async () => {
    const on = await say('auto-assign on');
    assert.match(
      on,
      /Automatic assignment is on\. New leads go by round robin to Alex Wilber, Diego Siciliani,? and Megan Bowen\./,
    );
    assert.doesNotMatch(on, /Gina Guest.*Next/s, 'a guest is never in the rotation');
    const leads = await arrive(6);
    assert.deepEqual(owners(leads), { 'Megan Bowen': 2, 'Alex Wilber': 2, 'Diego Siciliani': 2 });
    const first = leads[0] as Lead;
    assert.equal(first.status, 'assigned');
    assert.deepEqual(first.history.at(-1)?.by, { aadObjectId: 'system', name: 'Lead Assistant' });
    assert.deepEqual(first.history.at(-1)?.auto, { by: 'rotation' });
    const card = teams.connector
      .channelPosts()
      .map((r) => cardText(r.body.activity.attachments[0].content))
      .find((text) => text.includes(first.id));
    assert.match(card ?? '', new RegExp(`Assigned to ${first.owner?.name} automatically \\(round robin\\)`));
    // Each owner hears of it in a personal chat, once per lead.
    await teams.connector.waitFor(
      () =>
        teams.connector.requests.filter((r) => r.kind === 'post' && /personal/.test(r.conversationId ?? ''))
          .length >= 6,
    );

    const away = await say('away until 2099-01-01', diego);
    assert.match(away, /at most a year ahead/i, 'an absence is bounded');
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    assert.match(await say(`away until ${until}`, diego), /You’re away until the end of/);
    const status = await say('auto-assign');
    assert.match(status, /Diego Siciliani\n[^\n]*\n[^\n]*\nAway, back /, 'the status shows the absence');
    const more = await arrive(6);
    assert.deepEqual(owners(more), { 'Megan Bowen': 3, 'Alex Wilber': 3 });
    assert.match(await say('away off', diego), /Welcome back/);
    assert.equal(
      (await arrive(1))[0]?.owner?.name,
      'Diego Siciliani',
      'back, and the least recently assigned',
    );
  });

  it('skips anyone at capacity, and says on the card why a lead was given to nobody', async () => {
    await say('auto-assign on');
    assert.match(
      await say('auto-assign capacity 1'),
      /Nobody holding 1 open leads or more gets another automatically/,
    );
    const leads = await arrive(4);
    assert.deepEqual(owners(leads), { 'Megan Bowen': 1, 'Alex Wilber': 1, 'Diego Siciliani': 1, nobody: 1 });
    const last = leads[3] as Lead;
    assert.equal(last.status, 'new');
    assert.equal(last.autoAssignMiss?.why, 'all_full');
    const card = await say(`lead ${last.id}`);
    assert.match(
      card,
      /Not claimed yet: nobody could be given it automatically, as everyone has as many open leads as the capacity allows/,
    );
    assert.match(await say('unassigned'), new RegExp(last.id), 'it waits to be claimed');
  });

  it('lets the first matching rule pick the people before the rotation', async () => {
    await say('auto-assign on');
    assert.match(
      await say('auto-assign rule country Portugal, BRA to alexw@contoso.com'),
      /Rule added: country Portugal, Brazil → alexw@contoso\.com\./,
    );
    const [pt, br, us] = [
      await arrive(1, 'PT'),
      await arrive(1, 'Brasil'),
      await arrive(1, 'USA'),
    ].flat() as [Lead, Lead, Lead];
    assert.equal(pt.owner?.name, 'Alex Wilber');
    assert.deepEqual(pt.history.at(-1)?.auto, { by: 'rule', field: 'country', value: 'PT' });
    assert.equal(br.owner?.name, 'Alex Wilber', 'Alex again: the rule wins over his turn');
    assert.equal(
      us.owner?.name,
      'Diego Siciliani',
      'no rule matches: the rotation, where Alex has just had two',
    );
    assert.match(
      await say(`lead ${pt.id}`),
      /Assigned to Alex Wilber automatically \(rule: country Portugal\)/,
    );
    assert.match(await say('auto-assign rules clear'), /Rules cleared/);
    assert.notEqual((await arrive(1, 'PT'))[0]?.owner?.name, 'Alex Wilber');
  });

  it('counts a manual claim as a turn, and assigns nobody once it is off', async () => {
    await say('auto-assign only meganb@contoso.com, alexw@contoso.com');
    const waiting = await arrive(1);
    assert.equal(waiting[0]?.owner, undefined, 'off by default: set up, not on');
    // Alex comes first of the two when neither had a lead: taking one by hand makes Megan next.
    const claimed = await teams.harness.app.door.act(
      { aadObjectId: alex.aadObjectId, name: alex.name, tenantId: TENANT_ID },
      { leadId: waiting[0]?.id as string, version: waiting[0]?.version as number, action: { verb: 'claim' } },
    );
    assert.equal(claimed.outcome, 'saved');
    await say('auto-assign on');
    assert.equal((await arrive(1))[0]?.owner?.name, 'Megan Bowen', 'Alex just took one by hand');
    assert.match(await say('auto-assign off'), /Automatic assignment is off/);
    assert.equal((await arrive(1))[0]?.owner, undefined);
  });

  it('refuses members who are not managers and bad settings, and changes nothing', async () => {
    assert.match(await say('auto-assign on', alex), /Only managers can do that/);
    assert.match(
      await say('auto-assign only nobody@contoso.com'),
      /Not members of this team: nobody@contoso\.com\. Nothing was changed\./,
    );
    assert.match(
      await say('auto-assign only gina@partner.com'),
      /Not members of this team: gina@partner\.com/,
      'a guest cannot be put in it',
    );
    assert.match(await say('auto-assign capacity 0'), /Capacity is a whole number from 1 to 10000/);
    assert.match(
      await say('auto-assign rule colour red to alexw@contoso.com'),
      /Rules go by country, offer, storefront or priority/,
    );
    assert.match(
      await say('auto-assign rule country Atlantis to alexw@contoso.com'),
      /“Atlantis” is not a country I know/,
    );
    assert.match(
      await say('auto-assign rule priority high to not-an-address'),
      /“not-an-address” is not an e-mail address/,
    );
    assert.match(await say('auto-assign maybe'), /I didn’t get that/);
    assert.equal(await teams.harness.app.store.getAutoAssign(TEAM_ID), undefined);
    assert.equal((await arrive(1))[0]?.owner, undefined);
  });

  it('takes someone removed from the team out of the rotation at once', async () => {
    await say('auto-assign on');
    teams.connector.setRoster(
      TEAM_ID,
      members.filter((m) => m.aadObjectId !== diego.aadObjectId),
    );
    const removal = {
      ...installActivity(teams.connector.url, megan),
      membersAdded: undefined,
      membersRemoved: [{ id: diego.id, aadObjectId: diego.aadObjectId }],
      channelData: {
        tenant: { id: TENANT_ID },
        team: { id: TEAM_ID, name: 'Sales' },
        eventType: 'teamMemberRemoved',
      },
    };
    assert.ok((await teams.harness.postActivity(removal)).status < 300);
    assert.doesNotMatch(await say('auto-assign'), /Diego/);
    assert.deepEqual(owners(await arrive(4)), { 'Megan Bowen': 2, 'Alex Wilber': 2 });
  });

  it('keeps the rotation across a restart', async () => {
    await say('auto-assign on');
    const before = await arrive(2);
    await teams.harness.restart();
    const after = await arrive(1);
    assert.deepEqual(
      [...before, ...after].map((l) => l.owner?.name),
      ['Alex Wilber', 'Diego Siciliani', 'Megan Bowen'],
      'nobody twice before everyone once (ties go by the roster’s order)',
    );
  });
});

describe('automatic assignment with two instances on one Azure Table store', function () {
  this.timeout(60_000);
  let azurite: Azurite;
  let connector: FakeConnector;
  const harnesses: Harness[] = [];
  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite.dispose();
  });
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.stop()));
    await connector?.close();
  });

  it('never gives two leads to the same turn: eighteen leads at once over two instances, six each', async () => {
    connector = await FakeConnector.start({
      members,
      channels: [{ id: '19:leads-channel@thread.tacv2', name: 'Leads' }],
    });
    const prefix = azurite.freshPrefix();
    for (let i = 0; i < 2; i++) {
      const store = await AzureTableStore.open({
        connectionString: azurite.connectionString,
        clientOptions: azurite.clientOptions,
        prefix,
      });
      harnesses.push(await Harness.start(MANAGER_ENV, { store }));
    }
    const [one, two] = harnesses as [Harness, Harness];
    await one.postActivity(installActivity(connector.url));
    await connector.waitFor((r) => r.kind === 'create');
    await one.postActivity(channelMessage(connector.url, 'auto-assign on', megan));
    await connector.waitFor((r) => r.kind === 'post' && /Automatic assignment is on/.test(r.body.text ?? ''));
    const answers = await Promise.all(
      Array.from({ length: 18 }, (_, i) => (i % 2 ? two : one).postLead(newLead()).then((r) => r.json())),
    );
    const leads = await Promise.all(answers.map((a: any) => one.app.store.getLead(a.id)));
    assert.deepEqual(owners(leads as Lead[]), { 'Megan Bowen': 6, 'Alex Wilber': 6, 'Diego Siciliani': 6 });
  });
});
