import assert from 'node:assert/strict';
import { LeaderLease } from '../../src/delivery/leader-lease.js';
import { PostingMovedError, pacePoster } from '../../src/delivery/paced-poster.js';
import type { CardPoster } from '../../src/delivery/teams-poster.js';
import type { Coordination } from '../../src/leads/store.js';
import { silentLogger } from '../../src/log.js';
import { MemoryLeases } from '../../src/store/memory-coordination.js';

type Leases = Pick<Coordination, 'acquireLease' | 'releaseLease'>;

/** Polls `condition` until it holds; fails after `ms` with `what`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const TTL_MS = 900;

describe('LeaderLease: background work on one instance at a time', () => {
  const events: string[] = [];
  const running = new Set<string>();
  const leases: LeaderLease[] = [];
  afterEach(async () => {
    await Promise.all(leases.map((l) => l.stop()));
    leases.length = 0;
    events.length = 0;
    running.clear();
  });

  function instance(name: string, store: Leases): LeaderLease {
    const lease = new LeaderLease({
      store,
      ttlMs: TTL_MS,
      log: silentLogger,
      holder: name,
      work: {
        async start() {
          // Two at once is the failure this class exists to prevent.
          assert.equal(running.size, 0, `${name} started while ${[...running]} ran`);
          running.add(name);
          events.push(`${name} start`);
        },
        async stop() {
          running.delete(name);
          events.push(`${name} stop`);
        },
      },
    });
    leases.push(lease);
    return lease;
  }

  it('starts the work on the first instance only, and hands over at once on a clean stop', async () => {
    const store = new MemoryLeases();
    const a = instance('a', store);
    const b = instance('b', store);
    await a.start();
    await b.start();
    assert.deepEqual([a.isLeader, b.isLeader], [true, false]);
    const stoppedAt = Date.now();
    await a.stop();
    await until(() => b.isLeader, TTL_MS / 2, 'b takes over after a released the lease');
    assert.ok(Date.now() - stoppedAt < TTL_MS, 'without waiting for the lease to lapse');
    assert.deepEqual(events, ['a start', 'a stop', 'b start']);
  });

  it('stops the work before the lease lapses when the store stops answering, and the other takes over after it', async () => {
    const store = new MemoryLeases();
    let hang = false;
    const hanging: Leases = {
      acquireLease: (...args) => (hang ? new Promise<boolean>(() => {}) : store.acquireLease(...args)),
      releaseLease: (...args) => store.releaseLease(...args),
    };
    const a = instance('a', hanging);
    const b = instance('b', store);
    await a.start();
    await b.start();
    hang = true; // a can no longer renew: as a frozen network, or a store timing out
    await until(() => b.isLeader, 3 * TTL_MS, 'b takes over once a lease lapsed');
    assert.equal(a.isLeader, false);
    assert.deepEqual(events, ['a start', 'a stop', 'b start'], 'a stopped before b started');
  });

  it('does not sit on the lease with its work half started: stops it, gives the lease up, starts afresh later', async () => {
    const store = new MemoryLeases();
    let failures = 1;
    const started: string[] = [];
    const lease = new LeaderLease({
      store,
      ttlMs: TTL_MS,
      log: silentLogger,
      holder: 'a',
      work: {
        async start() {
          started.push('start');
          if (failures-- > 0) throw new Error('the store did not answer while starting');
        },
        async stop() {
          started.push('stop');
        },
      },
    });
    leases.push(lease);
    await lease.start();
    await until(() => lease.isLeader, TTL_MS * 3, 'leading once a start succeeds');
    assert.deepEqual(started, ['start', 'stop', 'start'], 'the failed start is undone, then tried again');
  });

  it('gives the work up when another instance holds the lease (a renewal refused)', async () => {
    const store = new MemoryLeases();
    const a = instance('a', store);
    await a.start();
    // Another holder took it (a's lease was judged expired elsewhere, say).
    await store.releaseLease('background', 'a');
    await store.acquireLease('background', 'z', 60_000);
    await until(() => !a.isLeader, TTL_MS, 'a stops on a refused renewal');
    assert.deepEqual(events, ['a start', 'a stop']);
  });
});

describe('the queue poster of an instance that loses the lease', () => {
  it('posts nothing once the lease is gone, even when it was waiting for Teams when it went', async () => {
    let leading = true;
    let time = Date.parse('2026-12-01T09:00:00Z');
    const slept: number[] = [];
    const clock = {
      now: () => time,
      sleep: async (ms: number) => {
        leading = false; // the lease is lost while this card waits its turn
        slept.push(ms);
        time += ms;
      },
    };
    const sent: string[] = [];
    const raw = {
      postToChannel: async () => {
        sent.push('card');
        return { activityId: String(sent.length), threadId: 't' };
      },
    } as unknown as CardPoster;
    const paced = pacePoster(raw, clock);
    const queue = paced.onlyWhile(() => leading);
    const target = { channelId: '19:c@thread.tacv2', tenantId: 't', serviceUrl: '', botId: '' } as never;
    for (let i = 0; i < 7; i++) await queue.postToChannel(target, { type: 'message' });
    await assert.rejects(queue.postToChannel(target, { type: 'message' }), PostingMovedError);
    assert.equal(sent.length, 7, 'the eighth card is left to the new leader');
    assert.deepEqual(slept, [250], 'it gave up at the first look, not after the whole window (1150 ms)');
    // Replies and updates of this instance's own turns are not queue work: they still go.
    await paced.postToChannel(target, { type: 'message' });
    assert.equal(sent.length, 8);
  });
});
