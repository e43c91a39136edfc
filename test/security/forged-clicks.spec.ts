import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import { cardActionActivity, channelMessage, megan } from '../fakes/activities.js';
import type { FakeConnector } from '../fakes/fake-connector.js';
import { type Harness, TeamsHarness } from '../http/harness.js';

describe('forged and misplaced clicks', () => {
  let connector: FakeConnector;
  let harness: Harness;
  let lead: Lead;

  let teams: TeamsHarness;
  beforeEach(async () => {
    teams = await TeamsHarness.start();
    ({ connector, harness } = teams);
    lead = await teams.postedLead();
  });
  afterEach(async () => {
    await teams.stop();
  });

  async function claimFrom(change: (activity: any) => void, data: Record<string, unknown> = {}) {
    const activity = cardActionActivity(connector.url, {
      threadId: lead.deliveries[0]?.threadId as string,
      activityId: lead.deliveries[0]?.activityId as string,
      verb: 'lead.claim',
      data: { leadId: lead.id, version: lead.version, ...data },
      from: megan,
    });
    change(activity);
    const response = await harness.postActivity(activity);
    return { status: response.status, body: (await response.json()) as { type: string; value: string } };
  }

  it('answers a click from another team or tenant as if the lead did not exist, and changes nothing', async () => {
    const otherTeam = await claimFrom((a) => {
      a.channelData.team = { id: '19:other-team@thread.tacv2', name: 'Elsewhere' };
    });
    const otherTenant = await claimFrom((a) => {
      a.channelData.tenant = { id: 'evil-tenant' };
      a.conversation.tenantId = 'evil-tenant';
    });
    for (const { status, body } of [otherTeam, otherTenant]) {
      assert.equal(status, 200);
      assert.equal(body.type, 'application/vnd.microsoft.activity.message');
      assert.match(body.value, new RegExp(`There is no lead ${lead.id}`));
    }
    assert.equal((await harness.app.store.getLead(lead.id))?.version, lead.version);
  });

  it('refuses a click from someone who is not on the team’s roster', async () => {
    const { body } = await claimFrom((a) => {
      a.from = { id: '29:stranger', aadObjectId: 'aad-stranger', name: 'Stranger' };
    });
    assert.equal(body.type, 'application/vnd.microsoft.activity.message');
    assert.match(body.value, /can’t work on leads/);
    assert.equal((await harness.app.store.getLead(lead.id))?.status, 'new');
  });

  it('refuses card data that is not a lead reference', async () => {
    for (const data of [
      { leadId: '../../etc/passwd' },
      { leadId: { $ne: null } },
      { version: 'latest' },
      { version: -1 },
    ]) {
      const { body } = await claimFrom(() => {}, data);
      assert.match(body.value, /damaged or too old/, JSON.stringify(data));
    }
    assert.equal((await harness.app.store.getLead(lead.id))?.status, 'new');
  });

  it('does not show a lead to another tenant on “lead <id>”', async () => {
    const message = channelMessage(connector.url, `lead ${lead.id}`) as any;
    message.channelData.tenant = { id: 'evil-tenant' };
    message.conversation.tenantId = 'evil-tenant';
    delete message.channelData.team;
    await harness.postActivity(message);
    const reply = await connector.waitFor(
      (r) => r.kind === 'post' && /There is no lead/.test(r.body.text ?? ''),
    );
    assert.equal(reply.body.attachments?.length ?? 0, 0);
  });
});
