import assert from 'node:assert/strict';
import type { Actor } from '../../src/leads/lifecycle.js';
import { act, type Place } from '../../src/leads/workflow.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { makeLead } from '../fakes/lead-factory.js';

const member = (n: number): Actor => ({
  aadObjectId: `user-${n}`,
  name: `User ${n}`,
  isGuest: false,
  isManager: false,
});
const inTeam: Place = { teamId: 'team-1', tenantId: 'tenant-1' };

describe('act: the one workflow every surface calls', () => {
  let store: MemoryStore;
  const now = () => new Date('2026-11-24T11:00:00.000Z');
  beforeEach(async () => {
    store = new MemoryStore();
    await store.putInstallation({
      teamId: 'team-1',
      teamName: 'Sales',
      tenantId: 'tenant-1',
      serviceUrl: 'http://127.0.0.1:1/',
      botId: '28:b',
      installedAt: '2026-11-24T09:00:00.000Z',
      channels: [],
    });
    await store.createLead(
      makeLead({
        id: 'L-AAAAA',
        version: 1,
        deliveries: [{ teamId: 'team-1', conversationId: '19:c', state: 'posted', attempts: 1 }],
      }),
    );
  });

  const claim = (actor: Actor, version = 1, place = inTeam) =>
    act({ store, now }, { leadId: 'L-AAAAA', version, action: { verb: 'claim' }, actor, place });

  it('saves the change from the version the actor saw, and says what it was before', async () => {
    const result = await claim(member(1));
    assert.equal(result.outcome, 'saved');
    if (result.outcome !== 'saved') return;
    assert.deepEqual(
      [result.lead.status, result.lead.owner?.name, result.lead.version],
      ['assigned', 'User 1', 2],
    );
    assert.equal(result.previous.status, 'new');
    assert.equal((await store.getLead('L-AAAAA'))?.owner?.aadObjectId, 'user-1');
  });

  it('of two actors on one version, one wins and the other gets the current lead', async () => {
    const [first, second] = await Promise.all([claim(member(1)), claim(member(2))]);
    const outcomes = [first.outcome, second.outcome].sort();
    assert.deepEqual(outcomes, ['saved', 'stale']);
    const stale = [first, second].find((r) => r.outcome === 'stale');
    assert.equal(stale?.outcome === 'stale' && stale.current.version, 2);
  });

  it('answers a stale version with the current lead, changing nothing', async () => {
    await claim(member(1));
    const late = await claim(member(2), 1);
    assert.equal(late.outcome, 'stale');
    assert.equal(late.outcome === 'stale' && late.current.owner?.name, 'User 1');
    assert.equal((await store.getLead('L-AAAAA'))?.version, 2);
  });

  it('refuses a guest with a reason, changing nothing', async () => {
    const result = await claim({ ...member(3), isGuest: true });
    assert.deepEqual(result.outcome === 'refused' && result.refusal, 'guest');
    assert.equal((await store.getLead('L-AAAAA'))?.status, 'new');
  });

  it('answers "not found" alike for an unknown lead and for one from another team or tenant', async () => {
    for (const place of [{ teamId: 'team-2', tenantId: 'tenant-1' }, { tenantId: 'tenant-2' }, {}])
      assert.equal((await claim(member(1), 1, place)).outcome, 'not_found', JSON.stringify(place));
    const unknown = await act(
      { store, now },
      { leadId: 'L-ZZZZZ', version: 1, action: { verb: 'claim' }, actor: member(1), place: inTeam },
    );
    assert.equal(unknown.outcome, 'not_found');
    assert.equal((await store.getLead('L-AAAAA'))?.status, 'new');
  });
});
