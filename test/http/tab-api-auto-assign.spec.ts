import assert from 'node:assert/strict';
import { translator } from '../../src/i18n/translator.js';
import type { AutoAssign } from '../../src/leads/auto-assign.js';
import type { Lead } from '../../src/leads/lead.js';
import { TEAM_ID } from '../fakes/activities.js';
import { OTHER_TENANT_ID, TAB_TENANT_ID } from '../fakes/entra.js';
import { TabHarness } from './tab-client.js';

const en = translator('en', 'en');
const pt = translator('pt-PT', 'en');
const DAY = 86_400_000;

describe('tab API: the rotation (automatic assignment), for managers', () => {
  let tab: TabHarness;
  let lead: Lead;
  const backOn = new Date(Date.now() + 3 * DAY).toISOString();

  beforeEach(async () => {
    tab = await TabHarness.start({ env: { MANAGERS: 'aad-boss' } });
    // Set as `auto-assign capacity 1`, `only` and a rule would set them; the chat commands are not needed here.
    await tab.store.updateAutoAssign(
      TEAM_ID,
      (): AutoAssign => ({
        teamId: TEAM_ID,
        enabled: true,
        only: ['meganb@contoso.com', 'alexw@contoso.com'],
        capacity: 1,
        rules: [{ field: 'country', values: ['PT', 'BR'], to: ['meganb@contoso.com'] }],
        turns: {},
        changedBy: { aadObjectId: 'aad-boss', name: 'Bea Boss' },
        changedAt: new Date(Date.now() - DAY).toISOString(),
      }),
    );
    await tab.store.putAway({
      aadObjectId: 'aad-alex',
      name: 'Alex Wilber',
      until: backOn,
      setAt: new Date().toISOString(),
    });
    // Auto-assign is on and Alex is away: the lead goes to Megan (her turn, her one open lead).
    lead = await tab.postedLead();
  });
  afterEach(async () => {
    await tab.stop();
  });

  const rotation = (as: string, team = TEAM_ID, query = '') =>
    tab.json(`/api/tab/auto-assign?team=${encodeURIComponent(team)}${query}`, { as });

  it('shows a manager the settings and each person’s place in the rotation, with no e-mail but the rules’', async () => {
    assert.equal(lead.owner?.aadObjectId, 'aad-megan', 'given to Megan on arrival');
    const { status, body } = await rotation('aad-boss');
    assert.equal(status, 200);
    const view = body.autoAssign;
    assert.equal(view.teamId, TEAM_ID);
    assert.equal(view.teamName, 'Sales');
    assert.equal(view.enabled, true);
    assert.equal(view.everyone, false);
    assert.equal(view.capacity, 1);
    assert.deepEqual(view.rules, [{ field: 'country', values: ['PT', 'BR'], to: ['meganb@contoso.com'] }]);
    assert.deepEqual(view.changedBy, { name: 'Bea Boss' });
    const megan = view.rotation.find((r: any) => r.aadObjectId === 'aad-megan');
    const alex = view.rotation.find((r: any) => r.aadObjectId === 'aad-alex');
    assert.deepEqual(
      { ...megan, lastAssigned: typeof megan.lastAssigned },
      {
        aadObjectId: 'aad-megan',
        name: 'Megan Bowen',
        inRotation: true,
        openLeads: 1,
        lastAssigned: 'string',
        full: true,
        next: false,
      },
    );
    assert.ok(Date.now() - Date.parse(megan.lastAssigned) < 60_000, 'her turn, just now');
    assert.deepEqual(alex, {
      aadObjectId: 'aad-alex',
      name: 'Alex Wilber',
      inRotation: true,
      openLeads: 0,
      awayUntil: backOn,
      full: false,
      next: false,
    });
    assert.ok(!view.rotation.some((r: any) => r.next), 'one full, one away: nobody is next');
    assert.equal(view.rotation.length, 2, 'the guest Teams leaves off the roster is not in it');
    const text = JSON.stringify(body);
    assert.deepEqual(
      text.match(/[\w.]+@(?!thread)[\w.]+/g),
      ['meganb@contoso.com'],
      'one e-mail only: the rule’s, as the manager typed it',
    );
    assert.ok(!/turns|only|alexw@/.test(text), 'the raw turns and `only` list stay on the server');
  });

  it('refuses a member of the team with 403 and a clear message, in their language', async () => {
    const { status, body } = await rotation('aad-megan');
    assert.equal(status, 403);
    assert.equal(body.error.code, 'forbidden');
    assert.equal(body.error.message, en('refusal.autoAssignManagersOnly'));
    assert.ok(!('autoAssign' in body));
    const inPortuguese = await rotation('aad-megan', TEAM_ID, '&locale=pt-PT');
    assert.equal(inPortuguese.status, 403);
    assert.equal(inPortuguese.body.error.message, pt('refusal.autoAssignManagersOnly'));
  });

  it('answers another team’s id exactly as an unknown one, for managers and members alike', async () => {
    const team = (teamId: string, tenantId: string, members: string[]) =>
      tab.store.putInstallation({
        teamId,
        teamName: teamId.includes('partners') ? 'Partners' : 'Elsewhere',
        tenantId,
        serviceUrl: tab.connector.url,
        botId: '28:lead-assistant-bot',
        installedAt: new Date().toISOString(),
        channels: [],
        members: members.map((id) => ({ id: `29:${id}`, aadObjectId: id, name: id })),
        membersReadAt: new Date().toISOString(),
      });
    // Same tenant, Megan not on it; and a team of another tenant the bot is also in.
    await team('19:partners@thread.tacv2', TAB_TENANT_ID, ['aad-pat']);
    await team('19:elsewhere@thread.tacv2', OTHER_TENANT_ID, ['aad-boss', 'aad-megan']);
    const unknown = await rotation('aad-boss', '19:no-such-team@thread.tacv2');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.message, en('error.teamNotFound'));
    for (const [as, teamId] of [
      ['aad-boss', '19:elsewhere@thread.tacv2'],
      ['aad-megan', '19:elsewhere@thread.tacv2'],
      ['aad-megan', '19:partners@thread.tacv2'],
      ['aad-megan', '19:no-such-team@thread.tacv2'],
    ] as const) {
      const answer = await rotation(as, teamId);
      assert.deepEqual([answer.status, answer.body], [404, unknown.body], `${as} asking for ${teamId}`);
    }
    const partners = await rotation('aad-boss', '19:partners@thread.tacv2');
    assert.equal(partners.status, 200, 'a manager sees every team of their tenant');
    assert.deepEqual(
      partners.body.autoAssign.rotation.map((r: any) => r.name),
      ['aad-pat'],
    );
    assert.equal(partners.body.autoAssign.enabled, false, 'never set: off, everyone, no rules');
  });

  it('asks for the team, and for a valid token before anything', async () => {
    const missing = await tab.json('/api/tab/auto-assign', { as: 'aad-boss' });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /team=/);
    const long = await rotation('aad-boss', 'x'.repeat(201));
    assert.equal(long.status, 400);
    const anonymous = await tab.call(`/api/tab/auto-assign?team=${encodeURIComponent(TEAM_ID)}`, {
      token: null,
    });
    assert.equal(anonymous.status, 401);
    const guest = await rotation('aad-guest');
    assert.equal(guest.status, 404, 'a guest is on no roster: no team of theirs');
  });
});
