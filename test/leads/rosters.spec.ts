// Rosters decide scope, so a stale one is read again before it decides; but Teams being down must
// not lock anyone out or hammer the connector: the stored roster stands, and a failed read waits.
import assert from 'node:assert/strict';
import { Door } from '../../src/leads/door.js';
import type { RosterReader } from '../../src/leads/rosters.js';
import type { RosterMember } from '../../src/leads/store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { installation, RecordingChanges } from '../fakes/door.js';

describe('rosters behind the door', () => {
  let clock = Date.parse('2026-12-03T10:00:00Z');
  const now = () => new Date(clock);
  const asker = { aadObjectId: 'ann', name: 'Ann', tenantId: 'tenant-1' };

  async function doorWith(reader: RosterReader) {
    const store = new MemoryStore();
    await store.putInstallation(installation('team-1', 'tenant-1', ['ann', 'ben'])); // read at 09:00
    const warnings: string[] = [];
    const door = new Door({
      store,
      now,
      config: { managers: [], contactVisibility: 'team' },
      changes: new RecordingChanges(),
      rosters: reader,
      warn: (message) => warnings.push(message),
    });
    return { door, store, warnings };
  }

  it('reads a roster over five minutes old again before deciding: someone who left sees nothing', async () => {
    let reads = 0;
    const { door, store } = await doorWith({
      async readRoster() {
        reads++;
        return [{ id: '29:ben', aadObjectId: 'ben', name: 'Ben' }];
      },
    });
    const viewer = await door.viewer(asker);
    assert.equal(reads, 1);
    assert.deepEqual(viewer.teams, [], 'Ann left the team: she is on no roster now');
    assert.equal(viewer.isGuest, true);
    assert.deepEqual(
      (await store.getInstallation('team-1'))?.members?.map((m) => m.aadObjectId),
      ['ben'],
    );
    await door.viewer({ ...asker, aadObjectId: 'ben' });
    assert.equal(reads, 1, 'fresh now: not read again');
  });

  it('keeps the stored roster while Teams fails, and does not ask again for a minute', async () => {
    let reads = 0;
    const { door, warnings } = await doorWith({
      async readRoster(): Promise<RosterMember[]> {
        reads++;
        throw new Error('connector down (503)');
      },
    });
    const viewer = await door.viewer(asker);
    assert.deepEqual(
      viewer.teams.map((t) => t.teamId),
      ['team-1'],
      'the stored roster stands',
    );
    assert.equal(reads, 1);
    assert.match(warnings.join(' '), /stored one stands/);
    clock += 30_000;
    await door.viewer(asker);
    assert.equal(reads, 1, 'not again within the minute');
    clock += 31_000;
    await door.viewer(asker);
    assert.equal(reads, 2, 'tried again after it');
  });

  it('asks once for many at the same time', async () => {
    let reads = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { door } = await doorWith({
      async readRoster() {
        reads++;
        await gate;
        return [{ id: '29:ann', aadObjectId: 'ann', name: 'Ann' }];
      },
    });
    const asking = Promise.all([door.viewer(asker), door.viewer(asker), door.viewer(asker)]);
    release();
    const viewers = await asking;
    assert.equal(reads, 1);
    for (const viewer of viewers)
      assert.deepEqual(
        viewer.teams.map((t) => t.teamId),
        ['team-1'],
      );
  });
});
