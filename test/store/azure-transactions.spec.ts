// What the Azure store's common paths cost in requests (each a billed transaction), counted by the
// bench's proxy in front of Azurite, and that the reads saved never cost a change.
import assert from 'node:assert/strict';
import { type CountingProxy, startCountingProxy } from '../../bench/table-counter.js';
import type { Lead } from '../../src/leads/lead.js';
import { AzureTableStore } from '../../src/store/azure-table-store.js';
import { type Azurite, startAzurite } from '../fakes/azurite.js';
import { makeIncoming } from '../fakes/lead-factory.js';

const CHANNEL = '19:leads@thread.tacv2';

function lead(id: string, n: number): Lead {
  return {
    ...makeIncoming(n),
    id,
    receivedAt: new Date(Date.UTC(2026, 10, 24, 10, n % 60)).toISOString(),
    status: 'new',
    history: [],
    deliveries: [{ teamId: 'team-1', conversationId: CHANNEL, state: 'pending', attempts: 0 }],
    version: 1,
  };
}

describe('AzureTableStore transactions (on Azurite, counted)', () => {
  let azurite: Azurite;
  const closing: Array<() => Promise<unknown>> = [];
  before(async () => {
    azurite = await startAzurite();
  });
  after(() => azurite.dispose());
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });

  /** Two instances on one prefix, the first through a counting proxy. */
  async function counted(): Promise<{
    store: AzureTableStore;
    other: AzureTableStore;
    proxy: CountingProxy;
  }> {
    const prefix = azurite.freshPrefix();
    const proxy = await startCountingProxy(azurite, prefix);
    const open = (connectionString: string) =>
      AzureTableStore.open({ connectionString, clientOptions: azurite.clientOptions, prefix });
    const store = await open(proxy.connectionString);
    const other = await open(azurite.connectionString);
    closing.push(
      () => proxy.close(),
      () => store.close(),
      () => other.close(),
    );
    return { store, other, proxy };
  }

  async function cost(proxy: CountingProxy, work: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = proxy.counts().byKind;
    await work();
    const after = proxy.counts().byKind;
    return Object.fromEntries(
      Object.entries(after)
        .filter(([kind, n]) => n > (before[kind] ?? 0))
        .map(([kind, n]) => [kind, n - (before[kind] ?? 0)]),
    );
  }

  it('saves a lead it has just read, and records its card, in one transaction each: no read again', async () => {
    const { store, proxy } = await counted();
    await store.createLead(lead('L-TX1', 1));
    const read = (await store.getLead('L-TX1')) as Lead;
    const claimed = {
      ...read,
      status: 'assigned' as const,
      owner: { aadObjectId: 'aad-megan', name: 'Megan' },
    };
    assert.deepEqual(await cost(proxy, () => store.saveLead(claimed, read.version)), { 'batch leads': 1 });
    assert.deepEqual(
      await cost(proxy, () => store.updateDelivery('L-TX1', CHANNEL, { state: 'posted', activityId: 'a-1' })),
      { 'batch leads': 1 },
    );
    const stored = (await store.getLead('L-TX1')) as Lead;
    assert.equal(stored.status, 'assigned');
    assert.equal(stored.deliveries[0]?.state, 'posted');
  });

  it('starts again from the stored lead when another instance wrote it since: nothing of either is lost', async () => {
    const { store, other } = await counted();
    await store.createLead(lead('L-TX2', 2));
    const seen = (await store.getLead('L-TX2')) as Lead;
    // Another instance posts the card and claims the lead after this one read it.
    await other.updateDelivery('L-TX2', CHANNEL, { state: 'posted', activityId: 'a-2' });
    const theirs = (await other.getLead('L-TX2')) as Lead;
    await other.saveLead({ ...theirs, status: 'assigned' }, theirs.version);
    // A save from the old version is refused with the current lead, never written over it.
    await assert.rejects(
      store.saveLead({ ...seen, status: 'disqualified' }, seen.version),
      (
        error: Error & {
          current?: Lead;
        },
      ) => error.name === 'ConflictError' && error.current?.status === 'assigned',
    );
    // A bookkeeping patch is applied to what is stored: the other instance's changes stay.
    await store.updateReminders('L-TX2', { nudgedAt: '2026-11-25T10:00:00.000Z' });
    const stored = (await store.getLead('L-TX2')) as Lead;
    assert.equal(stored.status, 'assigned');
    assert.equal(stored.deliveries[0]?.activityId, 'a-2');
    assert.equal(stored.reminders?.nudgedAt, '2026-11-25T10:00:00.000Z');
  });

  it('decides "nothing to change" on the stored lead, not on the copy it last saw', async () => {
    const { store, other } = await counted();
    await store.createLead(lead('L-TX3', 3));
    await store.getLead('L-TX3'); // pending, as this instance saw it
    await other.updateDelivery('L-TX3', CHANNEL, { state: 'posted', activityId: 'a-3' });
    // Back to pending is no change to the copy seen here, and a change to what is stored.
    await store.updateDelivery('L-TX3', CHANNEL, { state: 'pending' });
    assert.equal((await other.getLead('L-TX3'))?.deliveries[0]?.state, 'pending');
  });

  it('reads the list of months once for several sweeps, and still sees a month it writes itself', async () => {
    const { store, proxy } = await counted();
    await store.createLead(lead('L-TX4', 4));
    const sweeps = await cost(proxy, async () => {
      await store.listOwedUpdates();
      await store.listOwedAnnouncements();
      await store.pendingByChannel(10);
    });
    assert.ok((sweeps['query index'] ?? 0) <= 1, `the months were read ${sweeps['query index']} times`);
    await store.createLead({ ...lead('L-TX5', 5), receivedAt: '2026-12-02T10:00:00.000Z' });
    const pending = (await store.pendingByChannel(10)).flatMap((q) => q.leads.map((l) => l.id));
    assert.deepEqual(pending.sort(), ['L-TX4', 'L-TX5']);
  });
});
