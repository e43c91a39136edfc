import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { Outbox } from '../../src/delivery/outbox.js';
import type { CardPoster, PostTarget } from '../../src/delivery/teams-poster.js';
import type { IncomingLead, Lead } from '../../src/leads/lead.js';
import { silentLogger } from '../../src/log.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
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
    for (const n of [1, 2, 3]) await store.insertLead(incoming(n), lead(n));
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

  it('keeps a failed post pending and delivers it on a later attempt, once', async () => {
    await store.insertLead(incoming(1), lead(1));
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
    await store.insertLead(incoming(1), lead(1));
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
});
