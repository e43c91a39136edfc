import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOnce } from '../../src/leads/intake.js';
import type { Delivery, IncomingLead, Lead } from '../../src/leads/lead.js';
import type { ChannelBacklog } from '../../src/leads/store.js';
import { DeliveryIndex } from '../../src/store/delivery-index.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { makeIncoming, makeLead } from '../fakes/lead-factory.js';

const LEADS = '19:leads@thread.tacv2';
const OTHER = '19:other@thread.tacv2';

const pending = (conversationId: string, teamId = 't'): Delivery => ({
  teamId,
  conversationId,
  state: 'pending',
  attempts: 0,
});

/** Lead `id`, received at `receivedAt`, with these deliveries. */
function arriving(id: string, receivedAt: string, deliveries: Delivery[]) {
  return (incoming: IncomingLead): Lead => ({
    ...makeLead({ id, receivedAt, deliveries }),
    fingerprint: incoming.fingerprint,
  });
}

const ids = (backlogs: ChannelBacklog[]) =>
  Object.fromEntries(
    backlogs.map((b) => [b.conversationId, { pending: b.pending, ids: b.leads.map((l) => l.id) }]),
  );

describe('the store’s delivery queues', () => {
  let dir: string;
  let store: LowdbStore;
  let n = 0;
  const insert = (id: string, receivedAt: string, deliveries: Delivery[]) =>
    createOnce(store, makeIncoming(n++), arriving(id, receivedAt, deliveries));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'delivery-index-'));
    store = await LowdbStore.open(dir);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives each channel its oldest pending leads, in arrival order, and its whole count', async () => {
    await insert('L-1', '2026-11-02T10:00:00.000Z', [pending(LEADS)]);
    await insert('L-2', '2026-11-01T10:00:00.000Z', [pending(LEADS), pending(OTHER)]); // arrived second
    await insert('L-3', '2026-11-03T10:00:00.000Z', [pending(LEADS)]);
    await insert('L-4', '2026-11-03T11:00:00.000Z', [pending(OTHER)]);
    assert.deepEqual(ids(await store.pendingByChannel(2)), {
      [LEADS]: { pending: 3, ids: ['L-1', 'L-2'] },
      [OTHER]: { pending: 2, ids: ['L-2', 'L-4'] },
    });
    await store.updateDelivery('L-1', LEADS, { state: 'posted', activityId: '1' });
    await store.updateDelivery('L-2', OTHER, { attempts: 1, nextAttemptAt: '2026-11-24T10:00:00.000Z' });
    assert.deepEqual(ids(await store.pendingByChannel(5)), {
      [LEADS]: { pending: 2, ids: ['L-2', 'L-3'] },
      [OTHER]: { pending: 2, ids: ['L-2', 'L-4'] },
    });
    assert.deepEqual((await store.stats()).pendingDeliveries, 4);
  });

  it('puts a lead queued again, or queued late, back in its arrival place', async () => {
    await insert('L-1', '2026-10-05T10:00:00.000Z', []); // before any channel existed
    await insert('L-2', '2026-11-01T10:00:00.000Z', [pending(LEADS, 'team-a')]);
    await insert('L-3', '2026-11-02T10:00:00.000Z', [pending(LEADS, 'team-a')]);
    await insert('L-4', '2026-11-03T10:00:00.000Z', [pending(LEADS, 'team-a')]);
    await store.updateDelivery('L-2', LEADS, { state: 'failed' });
    assert.equal((await store.stats()).failedDeliveries, 1);
    await store.addDeliveries('L-1', [pending(LEADS, 'team-a')]);
    assert.deepEqual(ids(await store.pendingByChannel(10)), {
      [LEADS]: { pending: 3, ids: ['L-1', 'L-3', 'L-4'] },
    });

    assert.equal(await store.retryFailedDeliveries('team-a'), 1);
    assert.deepEqual(ids(await store.pendingByChannel(10)), {
      [LEADS]: { pending: 4, ids: ['L-1', 'L-2', 'L-3', 'L-4'] },
    });
    await insert('L-5', '2026-11-04T10:00:00.000Z', [pending(LEADS, 'team-a')]);
    assert.deepEqual((await store.pendingByChannel(10))[0]?.leads.at(-1)?.id, 'L-5');
    assert.deepEqual(await store.stats(), {
      leads: 5,
      pendingDeliveries: 5,
      failedDeliveries: 0,
      installations: 0,
    });
  });

  it('lists the cards owed an update until they are brought up to date', async () => {
    await insert('L-1', '2026-11-01T10:00:00.000Z', [pending(LEADS)]);
    await store.updateDelivery('L-1', LEADS, { state: 'posted', activityId: '1' });
    assert.deepEqual(await store.listOwedUpdates(), []);
    await store.updateDelivery('L-1', LEADS, { nextAttemptAt: '2026-11-24T10:00:00.000Z' });
    assert.deepEqual(
      (await store.listOwedUpdates()).map((l) => l.id),
      ['L-1'],
    );
    await store.updateDelivery('L-1', LEADS, { nextAttemptAt: undefined });
    assert.deepEqual(await store.listOwedUpdates(), []);
    assert.deepEqual(await store.pendingByChannel(10), []);
  });

  it('rebuilds the queues in arrival order after a restart, months apart', async () => {
    await insert('L-1', '2026-11-01T10:00:00.000Z', [pending(LEADS)]);
    await insert('L-2', '2026-10-01T10:00:00.000Z', [pending(LEADS)]); // an older month, arrived later
    await insert('L-3', '2026-11-02T10:00:00.000Z', [pending(LEADS)]);
    const before = ids(await store.pendingByChannel(10));
    assert.deepEqual(before[LEADS]?.ids, ['L-2', 'L-1', 'L-3']);
    await store.close();
    store = await LowdbStore.open(dir);
    assert.deepEqual(ids(await store.pendingByChannel(10)), before);
  });
});

describe('DeliveryIndex', () => {
  const sortById = (leads: Lead[]) => leads.sort((a, b) => a.id.localeCompare(b.id));

  it('forgets a lead everywhere, and sorts it back into its place if it returns', () => {
    const index = new DeliveryIndex(sortById);
    const failed: Delivery = { ...pending(OTHER), state: 'failed' };
    const a = makeLead({ id: 'L-1', deliveries: [pending(LEADS), failed] });
    const b = makeLead({ id: 'L-2', deliveries: [pending(LEADS)] });
    index.track(a, true);
    index.track(b, true);
    index.forget('L-1');
    assert.deepEqual(ids(index.pendingByChannel(10)), { [LEADS]: { pending: 1, ids: ['L-2'] } });
    assert.deepEqual(index.counts(), { pendingDeliveries: 1, failedDeliveries: 0 });
    assert.deepEqual(index.withFailedDeliveries(), []);
    index.track(a, true); // rolled back to a version that was stored before
    assert.deepEqual(ids(index.pendingByChannel(10)), { [LEADS]: { pending: 2, ids: ['L-1', 'L-2'] } });
    assert.deepEqual(index.counts(), { pendingDeliveries: 2, failedDeliveries: 1 });
    index.forget('L-1');
    index.forget('L-2');
    assert.deepEqual(index.pendingByChannel(10), []);
  });
});
