import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { CARDS_PER_RUN, Outbox } from '../../src/delivery/outbox.js';
import type { CardPoster, PostTarget } from '../../src/delivery/teams-poster.js';
import { owingTeams } from '../../src/leads/changes.js';
import { createOnce } from '../../src/leads/intake.js';
import type { IncomingLead, Lead } from '../../src/leads/lead.js';
import type { LeadStore } from '../../src/leads/store.js';
import { silentLogger } from '../../src/log.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { FaultyDisk } from '../fakes/faulty-disk.js';
import { makeIncoming } from '../fakes/lead-factory.js';

const installation = {
  teamId: 'team-1',
  teamName: 'Sales',
  tenantId: 'tenant-1',
  serviceUrl: 'http://127.0.0.1:1/',
  botId: '28:bot',
  installedAt: '2026-11-24T09:00:00.000Z',
  channels: [],
};

function lead(n: number): (incoming: IncomingLead) => Lead {
  return (incoming) => ({
    ...incoming,
    id: `L-0000${n}`,
    receivedAt: new Date(Date.UTC(2026, 10, 24, 10, n)).toISOString(),
    status: 'new',
    history: [],
    deliveries: [
      { teamId: 'team-1', conversationId: '19:leads@thread.tacv2', state: 'pending', attempts: 0 },
    ],
    version: 1,
  });
}

const incoming = makeIncoming;

/** Lead `n` of a backlog: arrived `n` seconds after the first, pending in the Leads channel. */
function backlogLead(n: number): (incoming: IncomingLead) => Lead {
  return (parsed) => ({
    ...lead(0)(parsed),
    id: `L-${n.toString(36).toUpperCase().padStart(5, '0')}`,
    receivedAt: new Date(Date.UTC(2026, 10, 1) + n * 1000).toISOString(),
  });
}

/** The store, counting every lead it hands out: the rows the outbox reads. */
function countingReads(store: LeadStore): { store: LeadStore; reads: () => number } {
  let reads = 0;
  const rows = (value: unknown): number => {
    if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + rows(item), 0);
    if (value && typeof value === 'object' && 'leads' in value) return rows(value.leads);
    return value && typeof value === 'object' && 'deliveries' in value ? 1 : 0;
  };
  const counting = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        reads += rows(result);
        return result;
      };
    },
  });
  return { store: counting, reads: () => reads };
}

/** A poster that fails the first `failures` calls, then records posts in order. */
function flakyPoster(failures: number, error: Error & { statusCode?: number }) {
  const posted: string[] = [];
  let calls = 0;
  const poster: CardPoster = {
    async postToChannel(_target: PostTarget, activity: Partial<Activity>) {
      calls++;
      if (calls <= failures) throw error;
      posted.push(String(activity.summary));
      return {
        activityId: String(1000 + posted.length),
        threadId: `19:leads@thread.tacv2;messageid=${1000 + posted.length}`,
      };
    },
    async updateActivity() {},
    async postToUser() {},
    async postToConversation() {},
  };
  return { poster, posted, calls: () => calls };
}

describe('Outbox', () => {
  let dir: string;
  let store: LowdbStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outbox-'));
    store = await LowdbStore.open(dir);
    await store.putInstallation(installation);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  function outboxWith(poster: CardPoster) {
    return new Outbox({
      store,
      poster,
      render: async (l) => ({ type: 'message', summary: l.id }),
      log: silentLogger,
      retry: { baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5 },
    });
  }

  it('posts pending leads oldest first and records the message id', async () => {
    for (const n of [1, 2, 3]) await createOnce(store, incoming(n), lead(n));
    const { poster, posted } = flakyPoster(0, new Error());
    const outbox = outboxWith(poster);
    const idle = outbox.whenIdle();
    outbox.kick();
    await idle;
    assert.deepEqual(posted, ['L-00001', 'L-00002', 'L-00003']);
    const first = await store.getLead('L-00001');
    assert.equal(first?.deliveries[0]?.state, 'posted');
    assert.equal(first?.deliveries[0]?.activityId, '1001');
    assert.equal(first?.version, 1);
    await outbox.stop();
  });

  it('never posts a lead whose write is still on its way to disk and then refused', async () => {
    await store.close();
    const disk = new FaultyDisk();
    store = await LowdbStore.open(dir, { openLog: disk.openLog });
    const release = disk.holdNext();
    const refused = createOnce(store, incoming(1), lead(1)); // in memory, its append in flight
    const { poster, posted } = flakyPoster(0, new Error());
    const outbox = outboxWith(poster);
    const idle = outbox.whenIdle();
    outbox.kick(); // finds the lead pending before its write is done
    release();
    await assert.rejects(refused);
    await idle;
    assert.deepEqual(posted, [], 'a lead answered 503 gets no card');
    assert.equal(await store.getLead('L-00001'), undefined);
    await outbox.stop();
  });

  it('brings a card just posted up to date when the lead changed while it went (a click on another copy)', async () => {
    await createOnce(store, incoming(1), lead(1));
    const updated: string[] = [];
    const poster: CardPoster = {
      async postToChannel() {
        // While the card is on its way, somebody claims the lead from a copy in a chat.
        const read = (await store.getLead('L-00001')) as Lead;
        await store.saveLead(
          owingTeams(
            { ...read, status: 'assigned' },
            { verb: 'claim', by: { aadObjectId: 'u', name: 'U' } },
            1,
            new Date(),
          ),
          1,
        );
        return { activityId: '1001', threadId: '19:leads@thread.tacv2;messageid=1001' };
      },
      async updateActivity(_target, activity) {
        updated.push(String(activity.summary));
      },
      async postToUser() {},
      async postToConversation() {},
    };
    const outbox = new Outbox({
      store,
      poster,
      render: async (l) => ({ type: 'message', summary: `${l.id} ${l.status}` }),
      log: silentLogger,
    });
    outbox.kick();
    await outbox.settled();
    assert.deepEqual(updated, ['L-00001 assigned'], 'the card posted as new shows the claim');
    assert.equal((await store.listOwedUpdates()).length, 0);
    await outbox.stop();
  });

  it('keeps a failed post pending and delivers it on a later attempt, once', async () => {
    await createOnce(store, incoming(1), lead(1));
    const unavailable = Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
    const { poster, posted, calls } = flakyPoster(3, unavailable);
    const outbox = outboxWith(poster);
    outbox.kick();
    while (posted.length === 0) await outbox.whenIdle();
    assert.deepEqual(posted, ['L-00001']);
    assert.equal(calls(), 4);
    const delivered = await store.getLead('L-00001');
    assert.equal(delivered?.deliveries[0]?.state, 'posted');
    assert.equal(delivered?.deliveries[0]?.attempts, 4);
    await outbox.stop();
  });

  it('waits for the team to be known rather than dropping the card', async () => {
    await store.removeInstallation('team-1');
    await createOnce(store, incoming(1), lead(1));
    const { poster, posted } = flakyPoster(0, new Error());
    const outbox = outboxWith(poster);
    const idle = outbox.whenIdle();
    outbox.kick();
    await idle;
    assert.deepEqual(posted, []);
    const waiting = await store.getLead('L-00001');
    assert.equal(waiting?.deliveries[0]?.state, 'pending');
    assert.match(waiting?.deliveries[0]?.lastError ?? '', /not installed/);
    await outbox.stop();
  });

  it('posts a backlog longer than one run in arrival order, each card once', async () => {
    const count = 2 * CARDS_PER_RUN + 7;
    await Promise.all(
      Array.from({ length: count }, (_, n) => createOnce(store, incoming(n), backlogLead(n))),
    );
    const { poster, posted } = flakyPoster(0, new Error());
    const outbox = outboxWith(poster);
    const idle = outbox.whenIdle();
    outbox.kick();
    await idle;
    assert.deepEqual(
      posted,
      Array.from({ length: count }, (_, n) => `L-${n.toString(36).toUpperCase().padStart(5, '0')}`),
    );
    assert.equal((await store.stats()).pendingDeliveries, 0);
    await outbox.stop();
  });

  it('announces a backlog longer than one run once, with its whole count, retrying a notice Teams refused', async () => {
    const count = 2 * CARDS_PER_RUN + 7;
    await Promise.all(
      Array.from({ length: count }, (_, n) => createOnce(store, incoming(n), backlogLead(n))),
    );
    const { poster, posted } = flakyPoster(0, new Error());
    const notices: number[] = [];
    const outbox = new Outbox({
      store,
      poster,
      render: async (l) => ({ type: 'message', summary: l.id }),
      log: silentLogger,
      backlogNoticeAt: CARDS_PER_RUN + 1,
      onBacklog: async (_team, _channel, pending) => {
        notices.push(pending);
        if (notices.length === 1) throw Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
      },
    });
    const idle = outbox.whenIdle();
    outbox.kick();
    await idle;
    assert.equal(posted.length, count);
    assert.deepEqual(notices, [count, count - CARDS_PER_RUN]);
    await outbox.stop();
  });

  it('reads as many leads a run with 10,000 cards waiting as with a hundred (Teams down)', async function () {
    this.timeout(60_000);
    const unavailable = Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
    /** Two runs (the first, then one once the oldest card's retry is due): leads read, posts tried. */
    const runWith = async (pending: number) => {
      const backlogDir = await mkdtemp(join(tmpdir(), 'outbox-backlog-'));
      const backlogStore = await LowdbStore.open(backlogDir);
      try {
        await backlogStore.putInstallation(installation);
        await Promise.all(
          Array.from({ length: pending }, (_, n) => createOnce(backlogStore, incoming(n), backlogLead(n))),
        );
        const { store: counting, reads } = countingReads(backlogStore);
        const { poster, calls } = flakyPoster(Number.POSITIVE_INFINITY, unavailable);
        let clock = Date.UTC(2026, 10, 24, 12);
        const outbox = new Outbox({
          store: counting,
          poster,
          render: async (l) => ({ type: 'message', summary: l.id }),
          log: silentLogger,
          now: () => new Date(clock),
          retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 0.5 },
        });
        for (let run = 0; run < 2; run++) {
          const idle = outbox.whenIdle();
          outbox.kick();
          await idle;
          clock += 5 * 60_000;
        }
        await outbox.stop();
        assert.equal((await backlogStore.stats()).pendingDeliveries, pending);
        return { reads: reads(), posts: calls() };
      } finally {
        await backlogStore.close();
        await rm(backlogDir, { recursive: true, force: true });
      }
    };
    const small = await runWith(2 * CARDS_PER_RUN);
    const large = await runWith(10_000);
    assert.deepEqual(large, small);
    assert.equal(small.posts, 2, 'only the oldest card probes Teams, once a run');
  });
});
