import assert from 'node:assert/strict';
import { briefSettings } from '../../src/compose/brief-settings.js';
import type { Installation } from '../../src/leads/store.js';
import { MemoryStore } from '../../src/store/memory-store.js';

const team = (name: string, members: string[] = []): Installation => ({
  teamId: 'team-1',
  teamName: name,
  tenantId: 'tenant-1',
  serviceUrl: 'https://smba.example/',
  botId: '28:bot',
  installedAt: '2026-12-01T10:00:00.000Z',
  channels: [],
  members: members.map((m) => ({ id: `29:${m}`, aadObjectId: `aad-${m}`, name: m })),
});

/** A store whose installation and routing reads are counted, and another instance writing to it. */
function setup() {
  const store = new MemoryStore();
  const reads = { installation: 0, routing: 0 };
  const getInstallation = store.getInstallation.bind(store);
  const getRouting = store.getRouting.bind(store);
  const slow: { until?: Promise<void> } = {};
  store.getInstallation = async (teamId) => {
    reads.installation++;
    const answer = await getInstallation(teamId);
    await slow.until; // a read that answers late, e.g. after a write made meanwhile
    return answer;
  };
  store.getRouting = () => {
    reads.routing++;
    return getRouting();
  };
  let now = 0;
  const faces = briefSettings(store, 5_000, () => now);
  return { store, reads, slow, ...faces, advance: (ms: number) => (now += ms) };
}

describe('brief settings cache (installations and routing for the outbox, views and intake)', () => {
  it('reads an installation and the routing once for the cards and leads of a few seconds', async () => {
    const { store, briefly, reads, advance } = setup();
    await store.putInstallation(team('Sales'));
    for (let i = 0; i < 5; i++) {
      assert.equal((await briefly.getInstallation('team-1'))?.teamName, 'Sales');
      await briefly.getRouting();
    }
    assert.deepEqual(reads, { installation: 1, routing: 1 });
    advance(5_000);
    // A burst of leads asking at once: one read.
    await Promise.all(Array.from({ length: 10 }, () => briefly.getRouting()));
    assert.equal(reads.routing, 2);
    await briefly.getInstallation('team-1');
    assert.equal(reads.installation, 2);
  });

  it('never answers the door, the handlers or a read-modify-write from it (the fresh face)', async () => {
    const { store, briefly, fresh, reads } = setup();
    await store.putInstallation(team('Sales', ['megan', 'alex']));
    await briefly.getInstallation('team-1');
    // Another instance takes Alex off the roster.
    await store.putInstallation(team('Sales', ['megan']));
    const seen = await fresh.getInstallation('team-1');
    assert.deepEqual(
      seen?.members?.map((m) => m.name),
      ['megan'],
    );
    assert.equal(reads.installation, 2);
  });

  it("sees this instance's own writes at once, also one made while a read was on its way", async () => {
    const { briefly, fresh, advance, slow } = setup();
    await fresh.putInstallation(team('Sales'));
    assert.equal((await briefly.getInstallation('team-1'))?.teamName, 'Sales');
    advance(5_000);
    let answer = () => undefined as unknown;
    slow.until = new Promise((resolve) => {
      answer = resolve as () => unknown;
    });
    const reading = briefly.getInstallation('team-1'); // a read of the store, under way
    await fresh.putInstallation(team('Sales EMEA'));
    answer();
    slow.until = undefined;
    assert.equal((await reading)?.teamName, 'Sales'); // read before the write: not kept
    assert.equal((await briefly.getInstallation('team-1'))?.teamName, 'Sales EMEA');
    await fresh.setRouting({ byStorefront: {}, defaultChannel: { teamId: 'team-1', channelId: 'c-2' } });
    assert.equal((await briefly.getRouting()).defaultChannel?.channelId, 'c-2');
    await fresh.removeInstallation('team-1');
    assert.equal(await briefly.getInstallation('team-1'), undefined);
  });

  it('does not keep "not installed": a team installed by another instance is seen on the next read', async () => {
    const { store, briefly } = setup();
    assert.equal(await briefly.getInstallation('team-1'), undefined);
    await store.putInstallation(team('Sales')); // another instance
    assert.equal((await briefly.getInstallation('team-1'))?.teamName, 'Sales');
  });
});
