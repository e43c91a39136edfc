import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import { alex, cardActionActivity, megan, type TeamsUser } from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness, WEBHOOK_SECRET } from './harness.js';

describe('the CRM record on a lead, from the CRM and from the card', () => {
  let teams: TeamsHarness;
  let lead: Lead;
  before(async () => {
    // Alex is a manager (named by object id), Megan a member.
    teams = await TeamsHarness.start({ env: { MANAGERS: 'aad-alex' } });
  });
  after(() => teams.stop());
  let n = 0;
  beforeEach(async () => {
    // A new buyer each time (the same payload would be a duplicate of the last test's lead).
    const body = JSON.parse(leadFixture('contact-me'));
    body.UserDetails.Email = `buyer${++n}@contoso.example.com`;
    lead = await teams.postedLead(JSON.stringify(body));
  });

  const put = (id: string, body: unknown, options: { key?: string; type?: string } = {}) =>
    fetch(`${teams.harness.url}/api/leads/${id}/crm`, {
      method: 'PUT',
      headers: {
        'content-type': options.type ?? 'application/json',
        'x-leads-key': options.key ?? WEBHOOK_SECRET,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const stored = async () => (await teams.harness.app.store.getLead(lead.id)) as Lead;
  const cardUpdates = () =>
    teams.connector.updates().filter((r) => r.activityId === lead.deliveries[0]?.activityId);

  it('PUT /api/leads/{id}/crm links the record, says so in the history, and the channel card offers "Open in CRM"', async () => {
    const crmUrl = 'https://contoso.crm4.dynamics.com/main.aspx?etn=lead&id=42';
    const response = await put(lead.id, { crmId: 'LEAD-42', crmUrl });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { id: string; crm: { id: string; url: string }; version: number };
    assert.deepEqual(
      [body.id, body.crm.id, body.crm.url, body.version],
      [lead.id, 'LEAD-42', crmUrl, lead.version + 1],
    );
    const saved = await stored();
    assert.deepEqual(saved.history.map((h) => [h.action, h.by.name]).at(-1), ['crm-linked', 'CRM']);
    const update = await teams.connector.waitFor(
      (r) =>
        r.kind === 'update' &&
        r.activityId === lead.deliveries[0]?.activityId &&
        /Open in CRM/.test(JSON.stringify(r.body)),
    );
    const actions = JSON.stringify(update.body);
    assert.ok(actions.includes(JSON.stringify(crmUrl)), 'the button opens the record');
    assert.match(cardText(update.body), /CRM\nLEAD-42/);
    // The same link again (a retried flow) changes nothing and updates no card.
    const updates = cardUpdates().length;
    assert.equal((await put(lead.id, { crmId: 'LEAD-42', crmUrl })).status, 200);
    assert.equal((await stored()).version, saved.version);
    await teams.harness.app.outbox.settled();
    assert.equal(cardUpdates().length, updates);
  });

  it('refuses with a clear error, changing nothing: http link, no field, unknown lead, wrong key, not JSON', async () => {
    const cases: Array<[Promise<Response>, number, RegExp]> = [
      [put(lead.id, { crmUrl: 'http://crm.example/1' }), 400, /must start with https:\/\//],
      [put(lead.id, { crmUrl: 'javascript:alert(1)' }), 400, /https/],
      [put(lead.id, {}), 400, /crmId, crmUrl or both/],
      [put(lead.id, { crmId: 'x'.repeat(101) }), 400, /at most 100/],
      [put(lead.id, '{"crmId":'), 400, /not valid JSON/],
      [put('L-ZZZZZ', { crmId: 'A-1' }), 404, /no lead L-ZZZZZ/],
      [put('nonsense', { crmId: 'A-1' }), 404, /no lead/],
      [put(lead.id, { crmId: 'A-1' }, { key: 'wrong' }), 401, /key/],
      [put(lead.id, 'crmId=A-1', { type: 'application/x-www-form-urlencoded' }), 415, /JSON/],
    ];
    for (const [answer, status, message] of cases) {
      const response = await answer;
      const body = (await response.json()) as { error: { message: string } };
      assert.equal(response.status, status, body.error.message);
      assert.match(body.error.message, message);
    }
    const after = await stored();
    assert.equal(after.version, lead.version);
    assert.equal(after.crm, undefined);
  });

  async function click(
    from: TeamsUser,
    verb: string,
    inputs: Record<string, unknown>,
    version = lead.version,
  ) {
    const delivery = lead.deliveries[0];
    const response = await teams.harness.postActivity(
      cardActionActivity(teams.connector.url, {
        threadId: delivery?.threadId as string,
        activityId: delivery?.activityId as string,
        verb,
        data: { leadId: lead.id, version, ...inputs },
        from,
      }),
    );
    const body = (await response.json()) as { type: string; value: unknown };
    return body.type === 'application/vnd.microsoft.activity.message'
      ? String(body.value)
      : cardText(body.value);
  }

  it('"Link CRM record…" on the card: the owner links an id; a bad link and a non-owner are refused', async () => {
    assert.match(cardText(teams.connector.channelPosts().at(-1)?.body.activity), /Link CRM record…/);
    await click(alex, 'lead.claim', {});
    lead = await stored();
    assert.match(
      await click(alex, 'lead.crm', { crm: 'http://insecure.example/1' }),
      /starts with https:\/\//,
    );
    assert.match(await click(megan, 'lead.crm', { crm: 'OPP-7' }), /belongs to Alex Wilber/);
    assert.equal((await stored()).crm, undefined);
    const card = await click(alex, 'lead.crm', { crm: 'OPP-7' });
    assert.match(card, /CRM\nOPP-7/);
    const saved = await stored();
    assert.deepEqual(
      [saved.crm?.id, saved.crm?.linkedBy.name, saved.history.at(-1)?.action],
      ['OPP-7', 'Alex Wilber', 'crm-linked'],
    );
    await teams.connector.waitFor((r) => r.kind === 'update' && /OPP-7/.test(JSON.stringify(r.body)));
  });

  it('"Tag campaign…" is a manager’s: offered to them only, a member is refused, the campaign shows', async () => {
    assert.doesNotMatch(cardText(teams.connector.channelPosts().at(-1)?.body.activity), /Tag campaign…/);
    assert.match(await click(megan, 'lead.campaign', { campaign: 'Spring' }), /Only managers/);
    assert.equal((await stored()).campaign, undefined);
    const card = await click(alex, 'lead.campaign', { campaign: '  Spring   launch ' });
    assert.match(card, /Campaign\nSpring launch/);
    assert.match(card, /Tag campaign…/, 'the manager’s own card offers it');
    const saved = await stored();
    assert.deepEqual(
      [saved.campaign?.name, saved.history.at(-1)?.action],
      ['Spring launch', 'campaign-tagged'],
    );
  });
});
