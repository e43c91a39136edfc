import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { Lead } from '../../src/leads/lead.js';
import { channelMessage, megan } from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness } from './harness.js';
import { buyer, TabHarness } from './tab-client.js';

// Three buyers, posted least urgent first: a student on free-mail, a free-mail buyer without a
// title, a CTO on the company's own domain (all three Contact me).
const STUDENT = buyer(1, { Email: 'student1@gmail.com', Title: 'Student', Phone: '' });
const NO_TITLE = buyer(2, { Email: 'b2@outlook.com', Title: '' });
const CTO = buyer(3, { Email: 'cto@contoso.com', Company: 'Contoso', Title: 'CTO' });

describe('lead priority in Teams, through the server', () => {
  let teams: TeamsHarness;
  let posted: Lead[];
  beforeEach(async () => {
    teams = await TeamsHarness.start();
    posted = [];
    for (const body of [STUDENT, NO_TITLE, CTO]) posted.push(await teams.postedLead(body));
  });
  afterEach(() => teams.stop());

  async function say(text: string): Promise<string> {
    const { connector, harness } = teams;
    const before = connector.requests.length;
    await harness.postActivity(channelMessage(connector.url, text, megan));
    const reply = await connector.waitFor(
      (r) => r.kind === 'post' && connector.requests.indexOf(r) >= before,
    );
    const card = reply.body.attachments?.[0]?.content;
    return card ? cardText(card) : String(reply.body.text);
  }

  it('stores the priority on arrival, and the channel card and “lead <id>” show its badge and reasons', async () => {
    assert.deepEqual(
      posted.map((lead) => lead.priority?.level),
      ['low', 'medium', 'high'],
    );
    const cto = posted[2] as Lead;
    const channelCard = teams.connector
      .channelPosts()
      .map((r) => cardText(r.body.activity.attachments[0].content))
      .find((text) => text.includes(cto.id));
    assert.match(channelCard ?? '', /High priority/);
    assert.match(channelCard ?? '', /Contact me · senior title · company e-mail\n/);
    const shown = await say(`lead ${cto.id}`);
    assert.match(shown, /High priority\n/);
    assert.match(shown, /Contact me · senior title · company e-mail\n/);
    assert.match(
      await say(`lead ${posted[0]?.id}`),
      /Contact me · student or intern · free e-mail\nNew\nLow priority\n/,
    );
  });

  it('lists unassigned leads High first, whatever order they came in, and counts them by priority', async () => {
    const list = await say('unassigned');
    const [low, medium, high] = posted.map((lead) => list.indexOf(lead.id)) as [number, number, number];
    assert.ok(high >= 0 && high < medium && medium < low, `High, Medium, Low in:\n${list}`);
    assert.match(list, new RegExp(`${posted[2]?.id} · High priority · Contact me`));
    assert.match(
      await say('summary month'),
      /By priority\nHigh priority\n1\nMedium priority\n1\nLow priority\n1/,
    );
  });

  it('raises the priority when the same buyer comes back, and keeps it in the store', async () => {
    const again = JSON.parse(NO_TITLE);
    again.ActionCode = 'Create';
    const response = await teams.harness.postLead(JSON.stringify(again));
    assert.equal(response.status, 202);
    const stored = (await teams.harness.app.store.getLead(posted[1]?.id as string)) as Lead;
    assert.equal(stored.repeats?.length, 1);
    assert.equal(stored.priority?.level, 'medium');
    assert.deepEqual(
      stored.priority?.reasons.map((r) => r.code),
      ['intent', 'seen-again', 'free-email'],
    );
    assert.equal(stored.priority?.score, 2, 'one more than before');
  });

  it('gives a lead stored before priorities one when it is shown', async () => {
    const { harness } = teams;
    const old = (await harness.app.store.getLead(posted[2]?.id as string)) as Lead;
    const { priority: _, ...withoutPriority } = old;
    await harness.app.store.saveLead(withoutPriority as Lead, old.version);
    assert.equal((await harness.app.store.getLead(old.id))?.priority, undefined);
    assert.match(await say(`lead ${old.id}`), /High priority/);
  });

  it('reads the country by name for the phone and shows it in the reader’s words', async () => {
    const payload = JSON.parse(leadFixture('contact-me'));
    payload.UserDetails = {
      ...payload.UserDetails,
      Email: 'us@contoso.com',
      Country: 'USA',
      Phone: '16175550123',
    };
    const lead = await teams.postedLead(JSON.stringify(payload));
    const shown = await say(`lead ${lead.id}`);
    assert.match(shown, /\+1 617 555 0123/);
    assert.match(shown, /United States/);
  });
});

describe('lead priority in the tab API', () => {
  let tab: TabHarness;
  const leads: Lead[] = [];
  before(async () => {
    tab = await TabHarness.start();
    for (const body of [STUDENT, NO_TITLE, CTO]) leads.push(await tab.postedLead(body));
  });
  after(() => tab.stop());

  const get = async (query: string) => (await tab.json(`/api/tab/leads?${query}`)).body;
  const ids = (body: any) => body.items.map((i: any) => i.id);

  it('gives each row its priority and reasons, filters by it and sorts by it across pages', async () => {
    const all = await get('');
    assert.deepEqual(
      all.items.map((i: any) => i.priority.level),
      ['high', 'medium', 'low'],
    );
    assert.equal(all.items[0].priority.reasons[0].code, 'intent');
    assert.deepEqual(ids(await get('priority=high')), [leads[2]?.id]);
    assert.deepEqual(ids(await get('priority=low,medium')), [leads[1]?.id, leads[0]?.id]);
    // Posted in one burst they may share a millisecond: the order asked for decides, not arrival.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const body = await get(`sort=priority&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(body));
      cursor = body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [leads[2]?.id, leads[1]?.id, leads[0]?.id]);
  });

  it('exports the priority and its reasons as the last columns of the CSV', async () => {
    const response = await tab.call('/api/tab/leads.csv?priority=high');
    assert.equal(response.status, 200);
    const rows = parse(await response.text(), { bom: true, columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(
      rows.map((r) => [r.id, r.priority, r.priorityReasons]),
      [
        [
          leads[2]?.id,
          'high',
          'intent +2, senior-title +2, company-email +1, domain-fits-company +1, complete-contact +1',
        ],
      ],
    );
  });

  it('says which priority or order is wrong', async () => {
    for (const [query, message] of [
      ['priority=urgent', /priority must be one or more of high, medium, low, fyi/],
      ['sort=oldest', /sort must be newest or priority/],
    ] as const) {
      const { status, body } = await tab.json(`/api/tab/leads?${query}`);
      assert.equal(status, 400, query);
      assert.match(JSON.stringify(body), message);
    }
  });
});
