import assert from 'node:assert/strict';
import { eventKind } from '../../src/events/lead-event.js';
import type { Lead } from '../../src/leads/lead.js';
import {
  alex,
  cardActionActivity,
  channelMessage,
  installActivity,
  LEADS_CHANNEL_ID,
  megan,
  type TeamsUser,
} from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import { defaultMembers, FakeConnector, type Member, type RecordedRequest } from '../fakes/fake-connector.js';
import { leadFixture } from '../fixtures/load.js';
import { Harness, TeamsHarness } from './harness.js';

const guest: TeamsUser = { id: '29:guest', aadObjectId: 'aad-guest', name: 'Gina Guest' };

describe('the lead workflow on the card, through the server', () => {
  let connector: FakeConnector;
  let harness: Harness;

  let teams: TeamsHarness;

  async function setUp(members: Member[] = defaultMembers) {
    teams = await TeamsHarness.start({ members, env: { MANAGERS: 'patti@contoso.com' } });
    ({ connector, harness } = teams);
  }
  afterEach(() => teams.stop());

  const postedLead = () => teams.postedLead();

  async function click(
    lead: Lead,
    verb: string,
    from: TeamsUser,
    inputs: Record<string, unknown> = {},
    version?: number,
  ) {
    const delivery = lead.deliveries[0];
    const response = await harness.postActivity(
      cardActionActivity(connector.url, {
        threadId: delivery?.threadId as string,
        activityId: delivery?.activityId as string,
        verb,
        data: { leadId: lead.id, version: version ?? lead.version, ...inputs },
        from,
      }),
    );
    assert.equal(response.status, 200);
    const body = (await response.json()) as { type: string; value: unknown };
    const current = (await harness.app.store.getLead(lead.id)) as Lead;
    return {
      body,
      text:
        body.type === 'application/vnd.microsoft.activity.message'
          ? String(body.value)
          : cardText(body.value),
      lead: current,
    };
  }

  /** The channel card's last update, once the outbox has sent what the clicks owed it. */
  const lastUpdate = async (lead: Lead): Promise<RecordedRequest | undefined> => {
    await teams.delivered();
    return connector
      .updates()
      .filter((r) => r.activityId === lead.deliveries[0]?.activityId)
      .at(-1);
  };

  it('walks one lead new → assigned → qualified → opportunity → won, for the clicker and for everyone', async () => {
    await setUp();
    let lead = await postedLead();
    assert.match(
      cardText(connector.channelPosts().at(-1)?.body.activity),
      /Assign…[\s\S]*Alex Wilber[\s\S]*Megan Bowen/,
    );
    assert.doesNotMatch(
      cardText(connector.channelPosts().at(-1)?.body.activity),
      /Gina Guest/,
      'guests are not offered',
    );

    // The clicker (en-US) reads US formats; the channel's card is in the team's language (en: en-GB).
    const steps: Array<[string, Record<string, unknown>, RegExp, string, RegExp?]> = [
      ['lead.claim', {}, /Claimed by Megan Bowen/, 'assigned'],
      ['lead.qualify', {}, /Qualified/, 'qualified'],
      [
        'lead.opportunity',
        { value: '45000', currency: 'EUR', expectedClose: '2027-03-31', note: 'Pilot for 300 technicians' },
        /Opportunity: €45,000\.00 · expected close Mar 31, 2027/,
        'opportunity',
        /Opportunity: €45,000\.00 · expected close 31 Mar 2027/,
      ],
      ['lead.won', {}, /Won/, 'won'],
    ];
    for (const [verb, inputs, shows, status, everyone = shows] of steps) {
      const result = await click(lead, verb, megan, inputs);
      assert.match(result.text, shows, `${verb}: the clicker's card`);
      assert.equal(result.lead.status, status);
      assert.equal(result.lead.version, lead.version + 1);
      assert.match(cardText((await lastUpdate(result.lead))?.body), everyone, `${verb}: everyone's card`);
      lead = result.lead;
    }
    assert.deepEqual(
      lead.history.map((h) => `${h.action}:${h.by.name}`),
      [
        'received:Marketplace',
        'claim:Megan Bowen',
        'qualify:Megan Bowen',
        'opportunity:Megan Bowen',
        'won:Megan Bowen',
      ],
    );
    assert.deepEqual(lead.opportunity, {
      value: 45000,
      currency: 'EUR',
      expectedClose: '2027-03-31',
      notes: 'Pilot for 300 technicians',
    });
  });

  it('assigns a lead to a team member, who gets it in a personal chat', async () => {
    await setUp();
    const lead = await postedLead();
    const result = await click(lead, 'lead.assign', alex, { assignee: 'aad-megan' });
    assert.match(result.text, /Assigned to Megan Bowen by Alex Wilber/);
    assert.equal(result.lead.owner?.aadObjectId, 'aad-megan');
    const chat = await connector.waitFor(
      (r) => r.kind === 'create' && r.body.members?.[0]?.id === '29:megan',
    );
    assert.equal(chat.body.isGroup, false);
    const dm = await connector.waitFor(
      (r) => r.kind === 'post' && /Alex Wilber assigned this lead to you/.test(r.body.text ?? ''),
    );
    assert.match(cardText(dm.body), /Avery Lindqvist/);
  });

  it('says on the card when the new owner could not be messaged, instead of failing', async () => {
    await setUp();
    const lead = await postedLead();
    connector.failNext(1, 403, { kind: 'create' }); // Teams: the app is not installed for that user
    const result = await click(lead, 'lead.assign', alex, { assignee: 'aad-megan' });
    assert.equal(result.lead.owner?.name, 'Megan Bowen', 'the assignment stands');
    // The answer comes before anyone is told; the outbox tries, and every card then says so.
    assert.match(result.text, /Assigned to Megan Bowen by Alex Wilber/);
    const card = cardText((await lastUpdate(result.lead))?.body);
    assert.match(card, /Megan Bowen is the owner now, but I couldn’t message them/);
    const stored = (await harness.app.store.getLead(lead.id)) as Lead;
    assert.equal(stored.ownerNotice?.state, 'failed');
    assert.equal(connector.failuresAnswered, 1, 'a refusal for good is not tried again');
  });

  it('disqualifies with a reason and reopens; an opportunity can be lost', async () => {
    await setUp();
    let lead = await postedLead();
    lead = (await click(lead, 'lead.claim', megan)).lead;
    const out = await click(lead, 'lead.disqualify', megan, {
      reason: 'no_budget',
      details: 'Maybe next year',
    });
    assert.match(out.text, /Disqualified: No budget/);
    assert.match(out.text, /Reopen/);
    const back = await click(out.lead, 'lead.reopen', megan);
    assert.equal(back.lead.status, 'assigned');
    lead = (await click(back.lead, 'lead.qualify', megan)).lead;
    lead = (await click(lead, 'lead.opportunity', megan, { value: 1200, currency: 'USD' })).lead;
    const lost = await click(lead, 'lead.lost', megan);
    assert.equal(lost.lead.status, 'lost');
    assert.match(cardText((await lastUpdate(lost.lead))?.body), /Lost/);
  });

  it('reopens a won lead for its owner, on the card, in the history and the events, and for no other member', async () => {
    await setUp();
    let lead = await postedLead();
    for (const [verb, inputs] of [
      ['lead.claim', {}],
      ['lead.qualify', {}],
      ['lead.opportunity', { value: '45000', currency: 'EUR' }],
    ] as const) {
      lead = (await click(lead, verb, megan, inputs)).lead;
    }
    const won = await click(lead, 'lead.won', megan);
    assert.match(won.text, /Reopen/, 'the won card offers Reopen');
    const refused = await click(won.lead, 'lead.reopen', alex);
    assert.match(refused.text, /belongs to Megan Bowen/);
    assert.equal(refused.lead.status, 'won', 'a member who is not the owner changes nothing');
    const back = await click(won.lead, 'lead.reopen', megan);
    assert.equal(back.lead.status, 'assigned');
    assert.match(
      cardText((await lastUpdate(back.lead))?.body),
      /Qualify/,
      'everyone’s card works on it again',
    );
    const entry = back.lead.history.at(-1);
    assert.deepEqual(
      [entry?.action, entry?.from, entry?.to, entry?.by.name],
      ['reopen', 'won', 'assigned', 'Megan Bowen'],
    );
    assert.equal(eventKind(entry?.action ?? ''), 'reopened', 'the lead events say it too');
  });

  it('refuses what the clicker may not do, politely, and changes nothing', async () => {
    await setUp();
    const lead = await postedLead();
    const claimed = (await click(lead, 'lead.claim', megan)).lead;
    const cases: Array<[string, TeamsUser, Record<string, unknown>, RegExp]> = [
      ['lead.qualify', alex, {}, /belongs to Megan Bowen/],
      ['lead.disqualify', alex, { reason: 'spam' }, /belongs to Megan Bowen/],
      ['lead.note', guest, { note: 'hi' }, /Guests can’t work on leads/],
      ['lead.won', megan, {}, /isn’t possible while the lead is assigned/],
      ['lead.opportunity', megan, { value: '-5', currency: 'EUR' }, /number greater than 0/],
      [
        'lead.opportunity',
        megan,
        { value: '5', currency: 'EUR', expectedClose: '2027-02-30' },
        /expected close date/,
      ],
      ['lead.disqualify', megan, { reason: 'because' }, /Pick a reason/],
      ['lead.assign', megan, { assignee: 'aad-guest' }, /Pick a team member/],
      ['lead.note', megan, { note: '   ' }, /Write the note first/],
    ];
    for (const [verb, who, inputs, message] of cases) {
      const result = await click(claimed, verb, who, inputs);
      assert.equal(result.body.type, 'application/vnd.microsoft.activity.message', verb);
      assert.match(result.text, message, verb);
      assert.equal(result.lead.version, claimed.version, `${verb} changed nothing`);
    }
    const note = await click(claimed, 'lead.note', alex, {
      note: 'Customer called back [link](https://x.example)',
    });
    assert.match(
      note.text,
      /Note from Alex Wilber[\s\S]*Customer called back \[link\]\(https:\/\/x\.example\)/,
    );
  });

  it('gives exactly one owner when 20 people click Claim at once; the others see who won', async () => {
    const members: Member[] = Array.from({ length: 20 }, (_, i) => ({
      id: `29:user-${i}`,
      aadObjectId: `aad-user-${i}`,
      name: `Seller ${i}`,
      userPrincipalName: `seller${i}@contoso.com`,
      email: `seller${i}@contoso.com`,
      userRole: 'user',
    }));
    await setUp(members);
    const lead = await postedLead();
    const results = await Promise.all(
      members.map((m) => click(lead, 'lead.claim', { id: m.id, aadObjectId: m.aadObjectId, name: m.name })),
    );
    const stored = (await harness.app.store.getLead(lead.id)) as Lead;
    const winner = stored.owner?.name as string;
    assert.match(winner, /^Seller \d+$/);
    assert.equal(stored.history.filter((h) => h.action === 'claim').length, 1);
    const claimedByWinner = results.filter((r) => r.text.includes(`Claimed by ${winner}`));
    const toldWhoWon = results.filter((r) =>
      new RegExp(`${winner} changed this at \\d{1,2}:\\d\\d [AP]M`).test(r.text),
    );
    assert.equal(claimedByWinner.length, 20, 'every card shows the one owner');
    assert.equal(toldWhoWon.length, 19, 'the 19 others are told who won');
  });
});

describe('lead list commands, through the server', () => {
  let connector: FakeConnector;
  let harness: Harness;
  let teams: TeamsHarness;
  beforeEach(async () => {
    teams = await TeamsHarness.start();
    ({ connector, harness } = teams);
  });
  afterEach(() => teams.stop());

  async function say(text: string, from: TeamsUser = megan) {
    const before = connector.requests.length;
    await harness.postActivity(channelMessage(connector.url, text, from));
    const reply = await connector.waitFor(
      (r) => r.kind === 'post' && connector.requests.indexOf(r) >= before,
    );
    const card = reply.body.attachments?.[0]?.content;
    return card ? cardText(card) : String(reply.body.text);
  }

  it('lists my open leads, the unclaimed ones, and finds by company or e-mail, top 10 with a count', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const body = leadFixture('contact-me').replace('avery.lindqvist@', `avery${i}@`);
      ids.push(((await (await harness.postLead(body)).json()) as { id: string }).id);
    }
    await harness.postLead(leadFixture('get-it-now'));
    const first = (await harness.app.store.getLead(ids[0] as string)) as Lead;
    await harness.app.store.saveLead(
      { ...first, status: 'assigned', owner: { aadObjectId: 'aad-megan', name: 'Megan Bowen' } },
      first.version,
    );

    const mine = await say('my leads');
    assert.match(mine, /Your open leads \(1\)/);
    assert.match(mine, new RegExp(ids[0] as string));

    const unclaimed = await say('unassigned');
    assert.match(unclaimed, /Unassigned leads \(12\)/);
    assert.match(unclaimed, /Showing the first 10 of 12/);
    assert.equal((unclaimed.match(/\nClaim\n|\nClaim$/g) ?? []).length, 10, 'each row can be claimed');

    assert.match(
      await say('find woodgrove'),
      /Leads matching “woodgrove” \(1\)[\s\S]*Priya Natarajan · Woodgrove Bank/,
    );
    assert.match(await say('find avery3@'), /\(1\)/);
    assert.match(await say('find nothing-like-this'), /\(0\)[\s\S]*Nothing to show/);
    assert.match(await say('find'), /Tell me what to look for/);

    const summary = await say('summary month');
    assert.match(summary, /Leads summary · last 30 days/);
    assert.match(summary, /Received[\s\S]*13/);
    assert.match(await say('summary fortnight'), /I can summarise today, week, month/);
  });
});

describe('the team roster behind the Assign form', () => {
  it('is read again when over an hour old, so a new colleague can be assigned', async () => {
    const members = [...defaultMembers];
    const connector = await FakeConnector.start({
      members,
      channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }],
    });
    let clock = Date.parse('2026-11-24T09:00:00Z');
    const harness = await Harness.start({}, { now: () => new Date(clock) });
    try {
      await harness.postActivity(installActivity(connector.url));
      await connector.waitFor((r) => r.kind === 'create');
      const newcomer: Member = {
        id: '29:nina',
        aadObjectId: 'aad-nina',
        name: 'Nina Novak',
        userPrincipalName: 'nina@contoso.com',
        email: 'nina@contoso.com',
        userRole: 'user',
      };
      members.push(newcomer); // joins the team after the install
      clock += 2 * 60 * 60 * 1000;
      const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
      await connector.waitFor((r) => r.kind === 'create' && cardText(r.body.activity).includes(id));
      await harness.app.outbox.settled();
      const lead = (await harness.app.store.getLead(id)) as Lead;
      const response = await harness.postActivity(
        cardActionActivity(connector.url, {
          threadId: lead.deliveries[0]?.threadId as string,
          activityId: lead.deliveries[0]?.activityId as string,
          verb: 'lead.assign',
          data: { leadId: id, version: lead.version, assignee: 'aad-nina' },
          from: alex,
        }),
      );
      assert.match(
        cardText(((await response.json()) as { value: unknown }).value),
        /Assigned to Nina Novak by Alex Wilber/,
      );
    } finally {
      await harness.stop();
      await connector.close();
    }
  });
});
