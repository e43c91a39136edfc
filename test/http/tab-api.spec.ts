import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import { TabHarness } from './tab-client.js';

describe('tab API', () => {
  let tab: TabHarness;
  let lead: Lead;

  before(async () => {
    tab = await TabHarness.start({ env: { MANAGERS: 'aad-boss' } });
    lead = await tab.postedLead();
  });
  after(async () => {
    await tab.stop();
  });

  it('says who I am, my teams from the roster, and whether I manage', async () => {
    const { status, body } = await tab.json('/api/tab/me');
    assert.equal(status, 200);
    assert.equal(body.user.oid, 'aad-megan');
    assert.equal(body.user.name, 'Megan Bowen', 'the roster’s name');
    assert.deepEqual(
      body.teams.map((t: any) => t.teamName),
      ['Sales'],
    );
    assert.equal(body.isManager, false);
    assert.equal(body.mayWork, true);
    assert.equal(body.locale, 'en');
  });

  it('tells a person on no roster that they have no teams and may do nothing', async () => {
    const { body } = await tab.json('/api/tab/me', { as: 'aad-stranger' });
    assert.deepEqual(body.teams, []);
    assert.equal(body.mayWork, false);
    assert.match(body.notice, /can’t work on leads/);
  });

  it('lists the team’s leads with counts by status', async () => {
    const { status, body } = await tab.json('/api/tab/leads');
    assert.equal(status, 200);
    assert.deepEqual(
      body.items.map((i: any) => i.id),
      [lead.id],
    );
    assert.equal(body.counts.new, 1);
    assert.equal(body.total, 1);
  });
});
