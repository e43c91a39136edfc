import assert from 'node:assert/strict';
import { translator } from '../../src/i18n/translator.js';
import type { Lead } from '../../src/leads/lead.js';
import { alex, cardActionActivity, megan, TEAM_ID } from '../fakes/activities.js';
import { TAB_TENANT_ID } from '../fakes/entra.js';
import { makeLead } from '../fakes/lead-factory.js';
import { TabHarness } from './tab-client.js';

const en = translator('en', 'en');

describe('tab API: who sees and does what', () => {
  let tab: TabHarness;
  let lead: Lead;

  beforeEach(async () => {
    tab = await TabHarness.start({ env: { MANAGERS: 'aad-boss' } });
    lead = await tab.postedLead();
  });
  afterEach(async () => {
    await tab.stop();
  });

  const act = (id: string, body: Record<string, unknown>, as = 'aad-megan') =>
    tab.json(`/api/tab/leads/${id}/actions`, { as, body });

  /** The same click on the lead's channel card, as Teams would send it (in the tokens' tenant). */
  async function cardClick(verb: string, data: Record<string, unknown>, from = megan) {
    const activity: any = cardActionActivity(tab.connector.url, {
      threadId: lead.deliveries[0]?.threadId as string,
      activityId: lead.deliveries[0]?.activityId as string,
      verb,
      data: { leadId: lead.id, ...data },
      from,
    });
    activity.channelData.tenant = { id: TAB_TENANT_ID };
    activity.conversation.tenantId = TAB_TENANT_ID;
    const response = await tab.teams.harness.postActivity(activity);
    return (await response.json()) as { type: string; value: any };
  }

  it('says who I am, my teams from the roster, and whether I manage', async () => {
    const { status, body } = await tab.json('/api/tab/me');
    assert.equal(status, 200);
    assert.equal(body.user.oid, 'aad-megan');
    assert.equal(body.user.name, 'Megan Bowen', 'the roster’s name, not the token’s');
    assert.deepEqual(body.teams, [{ teamId: TEAM_ID, teamName: 'Sales' }]);
    assert.equal(body.isManager, false);
    assert.equal(body.mayWork, true);
    assert.equal(body.maySeeSummary, false, 'MANAGERS is set and Megan is not in it');
    assert.equal(body.locale, 'en');
    const boss = await tab.json('/api/tab/me', { as: 'aad-boss' });
    assert.equal(boss.body.isManager, true);
    assert.deepEqual(boss.body.teams, [], 'a manager on no roster');
    assert.equal(boss.body.mayWork, true);
  });

  it('shows nothing to a person on no roster, or a guest Teams leaves out of it, and lets them do nothing', async () => {
    for (const oid of ['aad-stranger', 'aad-guest']) {
      const me = await tab.json('/api/tab/me', { as: oid });
      assert.deepEqual(me.body.teams, []);
      assert.equal(me.body.mayWork, false);
      assert.match(me.body.notice, /can’t work on leads/);
      const list = await tab.json('/api/tab/leads', { as: oid });
      assert.deepEqual(list.body.items, []);
      assert.equal((await tab.call(`/api/tab/leads/${lead.id}`, { as: oid })).status, 404);
      const claim = await act(lead.id, { verb: 'lead.claim', version: lead.version }, oid);
      assert.equal(claim.status, 404);
      assert.match(claim.body.error.message, new RegExp(`There is no lead ${lead.id}`));
      assert.equal((await tab.call('/api/tab/summary?period=week', { as: oid })).status, 403);
    }
    assert.equal((await tab.store.getLead(lead.id))?.version, lead.version);
  });

  it('hides another team’s lead from its non-members, as a card click from elsewhere is', async () => {
    await tab.store.putInstallation({
      teamId: '19:other-team@thread.tacv2',
      teamName: 'Partners',
      tenantId: TAB_TENANT_ID,
      serviceUrl: tab.connector.url,
      botId: '28:lead-assistant-bot',
      installedAt: new Date().toISOString(),
      channels: [],
      members: [{ id: '29:pat', aadObjectId: 'aad-pat', name: 'Pat Partner' }],
      membersReadAt: new Date().toISOString(),
    });
    const theirs = await tab.store.createLead(
      makeLead({
        id: 'L-ZZ9ZZ',
        fingerprint: 'other',
        deliveries: [
          {
            teamId: '19:other-team@thread.tacv2',
            conversationId: '19:p@thread.tacv2',
            state: 'pending',
            attempts: 0,
          },
        ],
      }),
    );
    const list = await tab.json('/api/tab/leads');
    assert.deepEqual(
      list.body.items.map((i: any) => i.id),
      [lead.id],
    );
    assert.equal((await tab.call(`/api/tab/leads/${theirs.id}`)).status, 404);
    assert.equal((await act(theirs.id, { verb: 'lead.claim', version: theirs.version })).status, 404);
    assert.equal(
      (await act(theirs.id, { verb: 'lead.claim', version: theirs.version }, 'aad-pat')).status,
      200,
    );
    const boss = await tab.json('/api/tab/leads', { as: 'aad-boss' });
    assert.deepEqual(boss.body.items.map((i: any) => i.id).sort(), [lead.id, theirs.id].sort());
  });

  it('offers the actions the access rules allow this person now, with the card’s inputs', async () => {
    const { body } = await tab.json(`/api/tab/leads/${lead.id}`);
    assert.deepEqual(
      body.lead.actions.map((a: any) => a.verb),
      ['lead.claim', 'lead.assign', 'lead.qualify', 'lead.disqualify', 'lead.note', 'lead.crm'],
      'what the card offers her: Link CRM record… too, not Tag campaign… (managers only)',
    );
    const assign = body.lead.actions.find((a: any) => a.verb === 'lead.assign');
    assert.deepEqual(
      assign.inputs[0].choices.map((c: any) => c.title),
      ['Alex Wilber', 'Megan Bowen'],
    );
    const disqualify = body.lead.actions.find((a: any) => a.verb === 'lead.disqualify');
    assert.ok(
      disqualify.inputs[0].choices.some((c: any) => c.value === 'no_budget' && c.title === 'No budget'),
    );
    assert.equal(body.lead.version, lead.version);
    await act(lead.id, { verb: 'lead.claim', version: lead.version }, 'aad-alex');
    const after = await tab.json(`/api/tab/leads/${lead.id}`);
    assert.deepEqual(
      after.body.lead.actions.map((a: any) => a.verb),
      ['lead.note'],
      'Alex’s lead now',
    );
  });

  it('refuses what the card refuses, in the card’s words: not the owner', async () => {
    const claimed = await act(lead.id, { verb: 'lead.claim', version: lead.version }, 'aad-alex');
    assert.equal(claimed.status, 200);
    assert.equal(claimed.body.lead.owner.name, 'Alex Wilber');
    const version = claimed.body.lead.version;
    const qualify = await act(lead.id, { verb: 'lead.qualify', version });
    assert.equal(qualify.status, 403);
    assert.equal(qualify.body.error.refusal, 'not_owner');
    const click = await cardClick('lead.qualify', { version });
    assert.equal(qualify.body.error.message, click.value, 'the same sentence as the card');
    assert.equal((await tab.store.getLead(lead.id))?.status, 'assigned');
    const boss = await act(lead.id, { verb: 'lead.qualify', version }, 'aad-boss');
    assert.equal(boss.status, 200, 'a manager may');
  });

  it('answers a stale version with 409 and the current lead, changing nothing', async () => {
    await cardClick('lead.claim', { version: lead.version }, alex);
    const stale = await act(lead.id, { verb: 'lead.qualify', version: lead.version });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'stale');
    assert.match(stale.body.error.message, /Alex Wilber/);
    assert.equal(stale.body.lead.version, lead.version + 1);
    assert.equal(stale.body.lead.owner.name, 'Alex Wilber');
    assert.equal((await tab.store.getLead(lead.id))?.version, lead.version + 1);
  });

  it('gives exactly one owner when the tab and the card claim at once; the rest hear who won', async () => {
    const tabClaims = ['aad-megan', 'aad-alex', 'aad-megan', 'aad-alex'].map((as) =>
      act(lead.id, { verb: 'lead.claim', version: lead.version }, as),
    );
    const cardClaim = cardClick('lead.claim', { version: lead.version }, alex);
    const answers = await Promise.all(tabClaims);
    await cardClaim;
    const stored = (await tab.store.getLead(lead.id)) as Lead;
    assert.equal(stored.version, lead.version + 1, 'one change saved');
    assert.ok(answers.filter((a) => a.status === 200).length <= 1);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      assert.equal(answer.status, 409);
      assert.equal(answer.body.lead.owner.aadObjectId, stored.owner?.aadObjectId);
    }
  });

  it('refuses bad inputs with the card’s message, and a bad body saying what to send', async () => {
    const assign = await act(lead.id, { verb: 'lead.assign', version: lead.version, assignee: 'aad-nobody' });
    assert.equal(assign.status, 400);
    assert.equal(assign.body.error.message, en('input.assignee'));
    const value = await act(lead.id, {
      verb: 'lead.opportunity',
      version: lead.version,
      value: -5,
      currency: 'EUR',
    });
    assert.equal(value.body.error.message, en('input.value'));
    const pt = await tab.json(`/api/tab/leads/${lead.id}/actions?locale=pt-PT`, {
      body: { verb: 'lead.note', version: lead.version, note: '' },
    });
    assert.equal(pt.body.error.message, translator('pt-PT', 'en')('input.note'));
    for (const body of [
      { verb: 'lead.delete', version: 1 },
      { verb: 'lead.claim' },
      { verb: 'lead.claim', version: 'x' },
    ]) {
      const bad = await act(lead.id, body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.match(bad.body.error.message, /Send JSON \{"verb"/);
    }
    const garbled = await tab.call(`/api/tab/leads/${lead.id}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(garbled.status, 400);
    const notJson = await fetch(`${tab.teams.harness.url}/api/tab/leads/${lead.id}/actions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tab.entra.mint('aad-megan')}`,
        'content-type': 'application/json',
      },
      body: '{"verb": "lead.claim", ',
    });
    assert.equal(notJson.status, 400);
    assert.match(((await notJson.json()) as any).error.message, /Send JSON \{"verb"/);
    assert.equal((await tab.store.getLead(lead.id))?.version, lead.version);
  });

  it('updates the posted channel card through the outbox, as a card click does', async () => {
    const updates = tab.connector.updates().length;
    const claim = await act(lead.id, { verb: 'lead.claim', version: lead.version });
    assert.equal(claim.status, 200);
    assert.equal(claim.body.lead.status, 'assigned');
    const update = await tab.connector.waitFor(
      (r) =>
        r.kind === 'update' &&
        r.activityId === lead.deliveries[0]?.activityId &&
        JSON.stringify(r.body).includes('Megan Bowen'),
    );
    assert.ok(tab.connector.updates().length > updates);
    assert.equal(update.method, 'PUT');
    const assign = await act(lead.id, {
      verb: 'lead.assign',
      version: claim.body.lead.version,
      assignee: 'aad-alex',
    });
    assert.equal(assign.status, 200);
    await tab.connector.waitFor((r) => r.kind === 'create' && r.body?.members?.[0]?.id === '29:alex', 5000);
  });

  it('keeps every note in the history, those typed in the opportunity and disqualify forms too', async () => {
    let version = lead.version;
    const step = async (body: Record<string, unknown>) => {
      const answer = await act(lead.id, { ...body, version });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      version = answer.body.lead.version;
      return answer.body.lead;
    };
    await step({ verb: 'lead.claim' });
    await step({ verb: 'lead.note', note: 'Called, left a voicemail' });
    await step({ verb: 'lead.qualify' });
    await step({
      verb: 'lead.opportunity',
      value: '45000,50',
      currency: 'eur',
      expectedClose: '2027-03-31',
      note: 'Pilot for 300 technicians',
    });
    await step({ verb: 'lead.lost', note: 'Budget frozen' });
    await step({ verb: 'lead.reopen' });
    const last = await step({ verb: 'lead.disqualify', reason: 'no_budget', details: 'Frozen until 2028' });
    assert.deepEqual(
      last.history
        .filter((h: any) => h.by.aadObjectId !== 'system')
        .map((h: any) => [h.action, h.note ?? '']),
      [
        ['claim', ''],
        ['note', 'Called, left a voicemail'],
        ['qualify', ''],
        ['opportunity', 'Pilot for 300 technicians'],
        ['lost', 'Budget frozen'],
        ['reopen', ''],
        ['disqualify', 'no_budget: Frozen until 2028'],
      ],
    );
    assert.deepEqual(last.opportunity, {
      value: 45000.5,
      currency: 'EUR',
      expectedClose: '2027-03-31',
      notes: 'Pilot for 300 technicians',
    });
  });

  it('shows a change made on a card at the next poll, and answers 304 while nothing changed', async () => {
    const first = await tab.call('/api/tab/leads');
    const etag = first.headers.get('etag') as string;
    assert.ok(etag);
    assert.equal((await tab.call('/api/tab/leads', { headers: { 'if-none-match': etag } })).status, 304);
    await cardClick('lead.claim', { version: lead.version }, alex);
    const after = await tab.call('/api/tab/leads', { headers: { 'if-none-match': etag } });
    assert.equal(after.status, 200);
    const body = (await after.json()) as any;
    assert.equal(body.items[0].status, 'assigned');
    assert.equal(body.items[0].owner.name, 'Alex Wilber');
    const since = await tab.json(
      `/api/tab/leads?changedSince=${encodeURIComponent(body.items[0].changedAt)}`,
    );
    assert.deepEqual(since.body.items, [], 'nothing changed since that change');
  });
});
