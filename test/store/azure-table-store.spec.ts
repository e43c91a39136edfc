import assert from 'node:assert/strict';
import { TableClient, type TransactionAction } from '@azure/data-tables';
import { ConflictError, StorageUnavailableError, ValidationError } from '../../src/errors.js';
import type { Lead } from '../../src/leads/lead.js';
import { toRow } from '../../src/store/azure/lead-entity.js';
import { hintsOf } from '../../src/store/azure/lead-hints.js';
import { Table } from '../../src/store/azure/table.js';
import { TableCalls } from '../../src/store/azure/table-calls.js';
import { createTableClient } from '../../src/store/azure/table-client.js';
import { AzureTableStore, type AzureTableStoreOptions } from '../../src/store/azure-table-store.js';
import { type Azurite, startAzurite } from '../fakes/azurite.js';
import { type FaultyProxy, startFaultyProxy } from '../fakes/faulty-proxy.js';
import { makeIncoming } from '../fakes/lead-factory.js';

const CHANNEL = '19:leads@thread.tacv2';

function lead(id: string, n: number, overrides: Partial<Lead> = {}): Lead {
  return {
    ...makeIncoming(n),
    id,
    receivedAt: new Date(Date.UTC(2026, 10, 24, 10, n % 60)).toISOString(),
    status: 'new',
    history: [],
    deliveries: [{ teamId: 'team-1', conversationId: CHANNEL, state: 'pending', attempts: 0 }],
    version: 1,
    ...overrides,
  };
}

describe('AzureTableStore (on Azurite)', () => {
  let azurite: Azurite;
  const opened: AzureTableStore[] = [];
  before(async () => {
    azurite = await startAzurite();
  });
  after(() => azurite.dispose());
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  /** Two instances of the app: two stores on one prefix. */
  async function twoInstances(
    options: Partial<AzureTableStoreOptions> = {},
  ): Promise<[AzureTableStore, AzureTableStore]> {
    const prefix = options.prefix ?? azurite.freshPrefix();
    const open = () =>
      AzureTableStore.open({
        connectionString: azurite.connectionString,
        clientOptions: azurite.clientOptions,
        ...options,
        prefix,
      });
    const pair: [AzureTableStore, AzureTableStore] = [await open(), await open()];
    opened.push(...pair);
    return pair;
  }

  it('stores one payload once when two instances create it at once: one wins, the rest are told which', async () => {
    const [a, b] = await twoInstances();
    const same = makeIncoming(7);
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) =>
        (n % 2 ? a : b).createLead({ ...lead(`L-R${n}`, 7), ...same, id: `L-R${n}` }),
      ),
    );
    const won = attempts.filter((r): r is PromiseFulfilledResult<Lead> => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    const winner = won[0]?.value.id;
    for (const lost of attempts.filter((r) => r.status === 'rejected')) {
      const error = (lost as PromiseRejectedResult).reason;
      assert.ok(error instanceof ConflictError, String(error));
      assert.equal((error.current as Lead).id, winner);
    }
    assert.equal((await b.findByFingerprint(same.fingerprint))?.id, winner);
    // Each instance writes its count within a second of its leads; its own stats() at once.
    await Promise.all([a.stats(), b.stats()]);
    assert.equal((await a.stats()).leads, 1);
    assert.equal((await a.listLeads()).length, 1);
  });

  it('lets one of twenty claims spread over two instances win; the others get the winner', async () => {
    const [a, b] = await twoInstances();
    const created = await a.createLead(lead('L-CLAIM', 1));
    const claims = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) =>
        (n % 2 ? a : b).saveLead(
          { ...created, status: 'assigned', owner: { aadObjectId: `u${n}`, name: `U${n}` } },
          1,
        ),
      ),
    );
    const won = claims.filter((r): r is PromiseFulfilledResult<Lead> => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    const owner = won[0]?.value.owner?.aadObjectId;
    for (const lost of claims.filter((r) => r.status === 'rejected')) {
      const error = (lost as PromiseRejectedResult).reason;
      assert.ok(error instanceof ConflictError, String(error));
      assert.deepEqual(
        [(error.current as Lead).version, (error.current as Lead).owner?.aadObjectId],
        [2, owner],
      );
    }
    for (const store of [a, b]) {
      const seen = await store.getLead('L-CLAIM');
      assert.deepEqual(
        [seen?.version, seen?.owner?.aadObjectId],
        [2, owner],
        'each instance reads the claim at once',
      );
    }
  });

  it('loses no bookkeeping patch when two instances patch one lead at once (ETag retries)', async () => {
    const [a, b] = await twoInstances();
    const channels = Array.from({ length: 12 }, (_, n) => `19:c${n}@thread.tacv2`);
    await a.createLead(
      lead('L-BUSY', 2, {
        deliveries: channels.map((conversationId) => ({
          teamId: 't',
          conversationId,
          state: 'pending',
          attempts: 0,
        })),
      }),
    );
    await Promise.all([
      ...channels.map((channel, n) =>
        (n % 2 ? a : b).updateDelivery('L-BUSY', channel, { state: 'posted', activityId: `act-${n}` }),
      ),
      a.updateReminders('L-BUSY', { nudgedAt: '2026-11-24T11:00:00.000Z' }),
      b.updateReminders('L-BUSY', { announcedAt: '2026-11-24T11:01:00.000Z' }),
    ]);
    const stored = await b.getLead('L-BUSY');
    assert.deepEqual(
      stored?.deliveries.map((d) => [d.state, d.activityId]),
      channels.map((_, n) => ['posted', `act-${n}`]),
    );
    assert.deepEqual(stored?.reminders, {
      nudgedAt: '2026-11-24T11:00:00.000Z',
      announcedAt: '2026-11-24T11:01:00.000Z',
    });
    assert.equal(stored?.version, 1, 'bookkeeping leaves the version');
    assert.deepEqual(await a.pendingByChannel(10), [], 'no card left pending anywhere');
  });

  it('counts every claim in the summary rollup rows when two instances claim leads of one cell at once (ETag, 412 retried)', async () => {
    const zone = 'Europe/Lisbon';
    const [a, b] = await twoInstances({ timeZone: zone });
    const leads = Array.from({ length: 16 }, (_, n) => lead(`L-S${n}`, n));
    for (const l of leads) await a.createLead(l);
    const by = { aadObjectId: 'u-1', name: 'Ann' };
    const at = '2026-11-24T11:00:00.000Z';
    await Promise.all(
      leads.map((l, n) =>
        (n % 2 ? a : b).saveLead(
          {
            ...l,
            status: 'assigned',
            owner: by,
            history: [{ at, by, action: 'claim', from: 'new', to: 'assigned' }],
          },
          1,
        ),
      ),
    );
    const cells = await b.rollupCells('2026-11-24', '2026-11-24', zone);
    assert.equal(cells.length, 1, 'one team, one offer, one day: one cell');
    assert.deepEqual(
      [
        cells[0]?.received,
        cells[0]?.funnel.assigned,
        cells[0]?.owners['u-1']?.open,
        cells[0]?.touches.length,
      ],
      [16, 16, 16, 16],
    );
  });

  it('counts each change of a cell once when two instances change it in turn, each from its own last write', async () => {
    const zone = 'Europe/Lisbon';
    const [a, b] = await twoInstances({ timeZone: zone });
    const by = { aadObjectId: 'u-1', name: 'Ann' };
    const claimed = (l: Lead): Lead => ({
      ...l,
      status: 'assigned',
      owner: by,
      history: [{ at: '2026-11-24T11:00:00.000Z', by, action: 'claim', from: 'new', to: 'assigned' }],
    });
    // Each instance's copy of the cell goes stale while the other writes: a: 0, 2, 3; b: 1, 4.
    const [l0, l1, l2, l3, l4] = Array.from({ length: 5 }, (_, n) => lead(`L-T${n}`, n));
    await a.createLead(l0 as Lead);
    await b.createLead(l1 as Lead);
    await a.createLead(l2 as Lead);
    await a.createLead(l3 as Lead);
    await b.createLead(l4 as Lead);
    await a.saveLead(claimed(l1 as Lead), 1);
    await b.saveLead(claimed(l2 as Lead), 1);
    await a.saveLead(claimed(l3 as Lead), 1);
    const seen = async (store: AzureTableStore) => {
      const [cell] = await store.rollupCells('2026-11-24', '2026-11-24', zone);
      return [cell?.received, cell?.funnel.assigned, cell?.owners['u-1']?.open, cell?.untouched.length];
    };
    assert.deepEqual(await seen(a), [5, 3, 3, 2]);
    assert.deepEqual(await seen(b), [5, 3, 3, 2]);
  });

  it('builds the summary rollup rows from the leads at open when they are missing or for another zone', async () => {
    const prefix = azurite.freshPrefix();
    const [plain] = await twoInstances({ prefix });
    for (let n = 0; n < 5; n++) await plain.createLead(lead(`L-T${n}`, n));
    const [zoned] = await twoInstances({ prefix, timeZone: 'Asia/Kathmandu' });
    const cells = await zoned.rollupCells('2026-11-24', '2026-11-24', 'Asia/Kathmandu');
    assert.equal(
      cells.reduce((n, c) => n + c.received, 0),
      5,
    );
    const index = TableClient.fromConnectionString(
      azurite.connectionString,
      `${prefix}index`,
      azurite.clientOptions,
    );
    let rows = 0;
    for await (const row of index.listEntities({
      queryOptions: { filter: "PartitionKey ge 'rollup:' and PartitionKey lt 'rollup;'" },
    }))
      if (row.partitionKey !== 'rollup') rows++;
    assert.equal(rows, 1, 'kept as rows, not rolled up at each summary');
  });

  it('keeps a lead with a 200 KB payload and a long history whole, and refuses one too large for Azure', async () => {
    const [a, b] = await twoInstances();
    // Emoji (surrogate pairs) everywhere, so chunk boundaries fall inside some of them.
    const raw = JSON.stringify({ Description: '🙂é'.repeat(70_000) });
    assert.ok(raw.length > 200_000);
    const history = Array.from({ length: 400 }, (_, n) => ({
      at: '2026-11-24T10:00:00.000Z',
      by: { aadObjectId: `u${n}`, name: `Ünïcode ${n}` },
      action: 'note',
      note: `note ${n} ${'x'.repeat(100)}`,
    }));
    const big = lead('L-BIG', 3, { raw, history });
    await a.createLead(big);
    assert.deepEqual(await b.getLead('L-BIG'), big);
    const saved = await b.saveLead({ ...big, status: 'assigned' }, 1);
    assert.equal((await a.getLead('L-BIG'))?.raw, raw);
    assert.equal(saved.version, 2);

    const huge = lead('L-HUGE', 4, { raw: 'x'.repeat(1_100_000) });
    await assert.rejects(a.createLead(huge), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.match(error.message, /L-HUGE is too large to store/);
      return true;
    });
    assert.equal(await a.getLead('L-HUGE'), undefined);
    assert.equal(await a.findByFingerprint(huge.fingerprint), undefined, 'nothing of it was kept');
    await assert.rejects(b.saveLead({ ...saved, raw: 'y'.repeat(1_100_000) }, 2), ValidationError);
    assert.equal((await a.getLead('L-BIG'))?.version, 2, 'the refused save changed nothing');
    assert.equal((await a.stats()).leads, 1);
  });

  it('lists the leads received in a period across months, boundaries exact, index rows left out', async () => {
    const [a, b] = await twoInstances();
    const times = [
      '2026-10-31T23:59:59.999Z',
      '2026-11-01T00:00:00.000Z',
      '2026-11-30T23:59:59.999Z',
      '2026-12-01T00:00:00.000Z',
    ];
    for (const [n, receivedAt] of times.entries())
      await a.createLead(lead(`L-T${n}`, 20 + n, { receivedAt }));
    const ids = async (from: string, to: string) =>
      (await b.listLeadsReceived(new Date(from), new Date(to))).map((l) => l.id);
    assert.deepEqual(await ids('2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'), ['L-T1', 'L-T2']);
    assert.deepEqual(await ids('2026-10-15T00:00:00.000Z', '2026-12-15T00:00:00.000Z'), [
      'L-T0',
      'L-T1',
      'L-T2',
      'L-T3',
    ]);
    assert.deepEqual(await ids('2026-11-30T23:59:59.999Z', '2026-12-01T00:00:00.001Z'), ['L-T2', 'L-T3']);
    assert.deepEqual(
      (await b.listLeads()).map((l) => l.id),
      ['L-T0', 'L-T1', 'L-T2', 'L-T3'],
    );
  });

  it('lists the open leads of a busy month (read whole) and of quiet months (read one by one)', async () => {
    const prefix = azurite.freshPrefix();
    const [a, b] = await twoInstances({ prefix });
    // 180 leads in November (162 open), written as the store writes them, 100 rows a transaction.
    const table = TableClient.fromConnectionString(
      azurite.connectionString,
      `${prefix}leads`,
      azurite.clientOptions,
    );
    const busy = Array.from({ length: 180 }, (_, n) =>
      lead(`L-N${String(n).padStart(3, '0')}`, n, {
        receivedAt: new Date(Date.UTC(2026, 10, 2) + n * 60_000).toISOString(),
        status: n % 10 === 0 ? 'won' : 'new',
      }),
    );
    const actions = busy.flatMap((l): TransactionAction[] => [
      ['create', toRow(l, 'w')],
      ...hintsOf(l).map((h): TransactionAction => ['create', h]),
    ]);
    for (let i = 0; i < actions.length; i += 100) await table.submitTransaction(actions.slice(i, i + 100));
    await a.createLead(lead('L-NOV', 200, { receivedAt: '2026-11-20T00:00:00.000Z' })); // lists November
    const quiet = await a.createLead(lead('L-OCT', 201, { receivedAt: '2026-10-20T00:00:00.000Z' }));
    await a.createLead(lead('L-OCT2', 202, { receivedAt: '2026-10-21T00:00:00.000Z' }));
    await b.saveLead({ ...quiet, status: 'disqualified', disqualifyReason: 'spam' }, 1);
    const open = (await b.listOpenLeads()).map((l) => l.id);
    assert.deepEqual(open, ['L-OCT2', ...busy.filter((l) => l.status === 'new').map((l) => l.id), 'L-NOV']);
  });

  it('takes over the guards a crashed create left, and skips e-mail hints that point at nothing', async () => {
    const prefix = azurite.freshPrefix();
    const store = await AzureTableStore.open({
      connectionString: azurite.connectionString,
      clientOptions: azurite.clientOptions,
      prefix,
    });
    opened.push(store);
    const index = TableClient.fromConnectionString(
      azurite.connectionString,
      `${prefix}index`,
      azurite.clientOptions,
    );
    const incoming = makeIncoming(9);
    const longAgo = Date.now() - 10 * 60_000;
    // What a process killed after its guards and e-mail hint, before the lead, leaves behind.
    const pointer = { rowKey: '', id: 'L-DEAD', m: '2026-11', at: longAgo };
    await index.createEntity({ partitionKey: `fp:${incoming.fingerprint}`, ...pointer });
    await index.createEntity({ partitionKey: 'id:L-DEAD', ...pointer });
    await index.createEntity({
      partitionKey: `email:${incoming.customer.email}`,
      ...pointer,
      rowKey: 'L-DEAD',
    });
    assert.equal(await store.findByFingerprint(incoming.fingerprint), undefined);
    assert.equal(await store.getLead('L-DEAD'), undefined);
    assert.deepEqual(
      await store.findByEmail(incoming.customer.email),
      [],
      'a hint without its lead finds nothing',
    );
    assert.deepEqual(await store.pendingByChannel(5), []);

    const created = await store.createLead({ ...lead('L-DEAD', 9), ...incoming });
    assert.equal((await store.findByFingerprint(incoming.fingerprint))?.id, created.id);
    assert.deepEqual(
      (await store.findByEmail(incoming.customer.email.toUpperCase())).map((l) => l.id),
      ['L-DEAD'],
    );
    const [queue] = await store.pendingByChannel(5);
    assert.deepEqual([queue?.pending, queue?.leads.map((l) => l.id)], [1, ['L-DEAD']]);
  });

  it('writes a lead whose index rows are not what this version expects (one missing), and lists it right', async () => {
    const prefix = azurite.freshPrefix();
    const store = await AzureTableStore.open({
      connectionString: azurite.connectionString,
      clientOptions: azurite.clientOptions,
      prefix,
    });
    opened.push(store);
    const leads = TableClient.fromConnectionString(
      azurite.connectionString,
      `${prefix}leads`,
      azurite.clientOptions,
    );
    const created = await store.createLead(lead('L-ODD', 5));
    const pending = `~pend|${CHANNEL}|${created.receivedAt}|L-ODD`;
    await leads.deleteEntity('2026-11', pending); // as if another version had never written it
    await store.updateDelivery('L-ODD', CHANNEL, { state: 'failed' });
    assert.equal((await store.getLead('L-ODD'))?.deliveries[0]?.state, 'failed');
    assert.deepEqual(
      (await store.listUndelivered()).map((l) => l.id),
      ['L-ODD'],
    );
    await leads.upsertEntity({ partitionKey: '2026-11', rowKey: pending, id: 'L-ODD', c: CHANNEL });
    assert.deepEqual(
      await store.pendingByChannel(5),
      [{ conversationId: CHANNEL, pending: 1, leads: [] }],
      'a row the lead disagrees with shows no lead',
    );
  });

  describe('through a proxy that fails the way Azure does', () => {
    let proxy: FaultyProxy;
    let store: AzureTableStore;
    beforeEach(async () => {
      proxy = await startFaultyProxy(azurite);
      store = await AzureTableStore.open({
        connectionString: proxy.connectionString,
        clientOptions: azurite.clientOptions,
        prefix: azurite.freshPrefix(),
        retry: { tries: 4, tryTimeoutMs: 400, backoffMs: [10, 20, 40] },
      });
      opened.push(store);
    });
    afterEach(() => proxy.close());

    it('tries again through a 503, a 500 and a request that hangs, and answers', async () => {
      await store.createLead(lead('L-OK', 1));
      await store.stats(); // nothing of the create left in flight to take the faults
      proxy.fail(1, { status: 503 });
      proxy.fail(1, { status: 500 });
      proxy.fail(1, { hang: true });
      const started = Date.now();
      assert.equal((await store.getLead('L-OK'))?.id, 'L-OK');
      assert.equal(proxy.faulted, 3);
      assert.ok(Date.now() - started >= 400, 'waited out the request that hung');
      proxy.fail(2, { status: 503 });
      await store.updateDelivery('L-OK', CHANNEL, { state: 'posted', activityId: 'a1' });
      assert.equal((await store.getLead('L-OK'))?.deliveries[0]?.activityId, 'a1');
      assert.deepEqual(await store.health(), { status: 'ok' });
    });

    it('gives up after its tries with StorageUnavailableError, degraded until Azure answers again', async () => {
      proxy.failAll({ status: 503 });
      await assert.rejects(store.createLead(lead('L-NO', 2)), StorageUnavailableError);
      const health = await store.health();
      assert.equal(health.status, 'degraded');
      assert.match(health.status === 'degraded' ? health.reason : '', /HTTP 503/);
      proxy.failAll(undefined);
      assert.deepEqual(await store.health(), { status: 'ok' });
      await store.createLead(lead('L-NO', 2));
      assert.equal((await store.stats()).leads, 1);
    });

    it('knows its own write when the answer was lost and the retry finds it done (409, 412)', async () => {
      // The k-th request of each change loses its answer: a guard, the e-mail hint, the lead's
      // transaction; then a save's transaction. Each change still happens exactly once.
      await store.createLead(lead('L-FIRST', 9)); // its month is listed: a create is 4 requests
      for (let k = 0; k < 4; k++) {
        await store.stats(); // nothing left in flight to take the faults
        proxy.fail(k, { pass: true });
        proxy.fail(1, { loseAnswer: true });
        const created = await store.createLead(lead(`L-LOST${k}`, 10 + k));
        assert.equal((await store.findByFingerprint(created.fingerprint))?.id, created.id);
        await store.stats();
        proxy.fail(1, { pass: true }); // the read before the write
        proxy.fail(1, { loseAnswer: true });
        await store.saveLead({ ...created, status: 'assigned' }, 1);
      }
      const leads = (await store.listLeads()).filter((l) => l.id !== 'L-FIRST');
      assert.deepEqual(
        leads.map((l) => [l.id, l.version, l.status]),
        [0, 1, 2, 3].map((k) => [`L-LOST${k}`, 2, 'assigned']),
      );
      assert.equal(proxy.faulted, 8);
      assert.equal((await store.stats()).leads, 5);
    });
  });

  it('knows a row it deleted when the answer was lost and the retry finds it gone', async () => {
    const proxy = await startFaultyProxy(azurite);
    try {
      const name = `${azurite.freshPrefix()}rows`;
      const calls = new TableCalls({ tries: 4, tryTimeoutMs: 400, backoffMs: [10] });
      const clientOptions = { ...azurite.clientOptions, retryOptions: { maxRetries: 0 } };
      const table = new Table(await createTableClient(proxy, name, clientOptions), calls);
      await table.create();
      const etag = await table.insert({ partitionKey: 'p', rowKey: 'r', n: 1 });
      assert.ok(etag);
      proxy.fail(1, { loseAnswer: true }); // deleted, and the answer never comes back
      assert.equal(await table.remove('p', 'r', etag), true, 'the retry finds it gone: deleted here');
      assert.equal(proxy.faulted, 1);
      assert.equal(await table.get('p', 'r'), undefined);
      assert.equal(await table.remove('p', 'r', etag), false, 'gone before this delete: not deleted here');
    } finally {
      await proxy.close();
    }
  });

  it('refuses with StorageUnavailableError and reports degraded health while Azurite is down, then goes on', async () => {
    // The file's Azurite, killed and started again (empty): the specs after this one use it too.
    const own = azurite;
    {
      const store = await AzureTableStore.open({
        connectionString: own.connectionString,
        clientOptions: own.clientOptions,
        prefix: own.freshPrefix(),
        retry: { tries: 3, tryTimeoutMs: 1_000, backoffMs: [20, 50] },
      });
      opened.push(store);
      await store.createLead(lead('L-BEFORE', 1));
      assert.deepEqual(await store.health(), { status: 'ok' });

      await own.kill();
      const started = Date.now();
      await assert.rejects(store.createLead(lead('L-DURING', 2)), (error: unknown) => {
        assert.ok(error instanceof StorageUnavailableError, String(error));
        assert.match(error.message, /Azure Table storage is unreachable/);
        return true;
      });
      await assert.rejects(store.getLead('L-BEFORE'), StorageUnavailableError);
      await assert.rejects(
        store.updateDelivery('L-BEFORE', CHANNEL, { state: 'posted' }),
        StorageUnavailableError,
      );
      assert.ok(Date.now() - started < 5_000, 'the retries are bounded in time');
      const health = await store.health();
      assert.equal(health.status, 'degraded');
      assert.match(health.status === 'degraded' ? health.reason : '', /ECONNREFUSED/);

      // In memory, Azurite comes back empty: the store makes its tables again and goes on.
      await own.restart();
      assert.deepEqual(await store.health(), { status: 'ok' });
      await store.createLead(lead('L-AFTER', 3));
      assert.deepEqual(
        (await store.listLeads()).map((l) => l.id),
        ['L-AFTER'],
      );
      assert.equal((await store.getLead('L-AFTER'))?.id, 'L-AFTER');
    }
  });
});
