import assert from 'node:assert/strict';
import { endpointKey, publicUrl } from '../../src/events/endpoint.js';
import { EventOutbox, type EventOutboxDeps } from '../../src/events/event-outbox.js';
import type { Lead } from '../../src/leads/lead.js';
import { eraseCustomer } from '../../src/leads/privacy.js';
import { silentLogger } from '../../src/log.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { makeIncoming } from '../fakes/lead-factory.js';
import { type Answer, EventReceiver, newSecret } from './receiver.js';

const SECRET = newSecret(7);
const DAY = 24 * 60 * 60 * 1000;

/** Polls `condition` until it holds, or fails after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A list with each run of equal neighbours once: a re-sent event is the same event. */
function withoutRepeats<T>(list: T[]): T[] {
  return list.filter((item, i) => i === 0 || item !== list[i - 1]);
}

describe('the lead events sender', () => {
  let store: MemoryStore;
  let receiver: EventReceiver;
  let outbox: EventOutbox;
  let clock: number | undefined;
  const notices: string[] = [];
  let n = 0;

  const now = () => new Date(clock ?? Date.now());

  async function start(options: Partial<EventOutboxDeps> = {}) {
    outbox = new EventOutbox({
      store,
      settings: {
        endpoints: [receiver.url],
        secrets: [SECRET],
        contact: 'omit',
        source: '/lead-assistant/test',
      },
      log: silentLogger,
      now,
      // A generous timeout: on a busy machine a short one would time out answered requests and
      // send them twice (as it should); the spec about hanging receivers sets a short one.
      retry: { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 5000, giveUpAfterMs: DAY, random: () => 0.5 },
      onStopped: async (url, status) => {
        notices.push(`stopped ${url} ${status}`);
      },
      onGivingUp: async (_url, leadId, error) => {
        notices.push(`giving up ${leadId} ${error}`);
      },
      sweepMs: 60_000,
      ...options,
    });
    await outbox.start();
  }

  /** A lead as intake stores it now: one history entry, its arrival. */
  async function receive(overrides: Partial<Lead> = {}): Promise<Lead> {
    const at = now().toISOString();
    return store.createLead({
      ...makeIncoming(++n),
      id: `L-EV${String(n).padStart(3, '0')}`,
      receivedAt: at,
      status: 'new',
      history: [{ at, by: { aadObjectId: 'system', name: 'Marketplace' }, action: 'received', to: 'new' }],
      deliveries: [],
      version: 1,
      ...overrides,
    });
  }

  /** A change as act() saves it: one more history entry. */
  async function change(id: string, action: string, note?: string): Promise<Lead> {
    const lead = (await store.getLead(id)) as Lead;
    const entry = {
      at: now().toISOString(),
      by: { aadObjectId: 'aad-megan', name: 'Megan Bowen' },
      action,
      ...(note ? { note } : {}),
    };
    return store.saveLead({ ...lead, history: [...lead.history, entry] }, lead.version);
  }

  beforeEach(async () => {
    store = new MemoryStore();
    receiver = await EventReceiver.start(SECRET);
    clock = undefined;
    notices.length = 0;
  });
  afterEach(async () => {
    await outbox?.stop();
    await receiver.close();
  });

  const key = () => endpointKey(receiver.url);
  const sequences = (leadId: string) => receiver.of(leadId).map((e) => e.sequence);

  it('sends every change of every lead in order, each once, several leads at a time', async () => {
    await start({ concurrency: 3 });
    const leads = await Promise.all(Array.from({ length: 8 }, () => receive()));
    outbox.kick();
    for (const lead of leads) {
      await change(lead.id, 'claim');
      outbox.kick();
      await change(lead.id, 'note', 'called back');
      outbox.kick();
    }
    await receiver.waitFor(() => receiver.events.length >= 24);
    await outbox.settled();
    for (const lead of leads) assert.deepEqual(sequences(lead.id), [0, 1, 2], lead.id);
    assert.equal(new Set(receiver.events.map((e) => e.id)).size, 24, 'one webhook-id per event');
    assert.equal(receiver.requests.length, 24, 'nothing sent twice');
    assert.deepEqual(receiver.rejected, []);
    assert.deepEqual(await store.listOwedEvents(key(), 100), []);
    assert.equal((await store.getLead(leads[0]?.id ?? ''))?.events?.[key()]?.sent, 3);
    assert.deepEqual(await outbox.health(), {
      endpoints: [{ url: publicUrl(receiver.url), state: 'ok', owed: 0, failed: 0 }],
    });
  });

  it('rides out 503s, timeouts and a 429 (waiting its Retry-After), then delivers every event in order', async () => {
    const script: Answer[] = [503, 503, 'hang', 'hang', { status: 429, headers: { 'retry-after': '1' } }];
    receiver.answer = () => script.shift() ?? 200;
    await start({
      concurrency: 1, // one request at a time, so "the next one" is well defined
      retry: { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 300, giveUpAfterMs: DAY, random: () => 0.5 },
    });
    const [a, b] = [await receive(), await receive()];
    outbox.kick();
    await change(a.id, 'claim');
    await change(b.id, 'qualify');
    outbox.kick();
    await receiver.waitFor(() => receiver.of(a.id).length >= 2 && receiver.of(b.id).length >= 2, 15_000);
    // In order; an answer slower than the short timeout here may come twice (same id), never out of order.
    assert.deepEqual(withoutRepeats(sequences(a.id)), [0, 1]);
    assert.deepEqual(withoutRepeats(sequences(b.id)), [0, 1]);
    const throttled = receiver.requests.find((r) => r.answer === '429');
    const next = receiver.requests[receiver.requests.indexOf(throttled as never) + 1];
    assert.ok(next && next.at - (throttled?.at ?? 0) >= 950, 'nothing sent before Retry-After passed');
    assert.equal((await outbox.health()).endpoints[0]?.state, 'ok', 'healthy again after a success');
    assert.deepEqual(receiver.rejected, []);
  });

  it('probes a dead receiver instead of flooding it: the endpoint pauses after a failure', async () => {
    receiver.answer = () => 503;
    await start({
      concurrency: 4,
      retry: { baseDelayMs: 200, maxDelayMs: 400, timeoutMs: 300, giveUpAfterMs: DAY, random: () => 0.5 },
    });
    for (let i = 0; i < 20; i++) await receive();
    outbox.kick();
    await receiver.waitFor(() => receiver.requests.length >= 1);
    await outbox.settled();
    assert.ok(receiver.requests.length <= 4, `at most one round of probes, got ${receiver.requests.length}`);
    const health = (await outbox.health()).endpoints[0];
    assert.equal(health?.state, 'retrying');
    assert.equal(health?.owed, 20);
    assert.equal(health?.lastError, 'HTTP 503');
  });

  it('treats a receiver that is not listening as down, and says why in /healthz', async () => {
    const old = receiver;
    receiver = await EventReceiver.start(SECRET); // opened first, so it cannot take the old port
    await old.close(); // its port now refuses connections
    const gone = old.url;
    await start({
      settings: { endpoints: [gone], secrets: [SECRET], contact: 'omit', source: '/lead-assistant/test' },
    });
    await receive();
    await outbox.settled();
    const [health] = (await outbox.health()).endpoints;
    assert.equal(health?.state, 'retrying');
    assert.equal(health?.owed, 1);
    assert.equal(health?.lastError, 'network error: ECONNREFUSED');
  });

  it('stops at once while a request hangs, recording nothing: the event goes again at the next start', async () => {
    receiver.answer = ({ count }) => (count === 1 ? 'hang' : 200);
    await start({ retry: { timeoutMs: 60_000 } });
    const lead = await receive();
    outbox.kick();
    await receiver.waitFor(() => receiver.requests.length === 1);
    const stopping = Date.now();
    await outbox.stop();
    assert.ok(Date.now() - stopping < 1000, 'not held up by the hanging request');
    assert.equal((await store.getLead(lead.id))?.events, undefined, 'no failure recorded');
    await start();
    await receiver.waitFor(() => receiver.events.length === 1);
    assert.equal(receiver.events[0]?.id, receiver.requests[0]?.id, 'the same webhook-id');
  });

  it('marks an event the receiver refuses for good (400) failed, tells managers once, and sends the next', async () => {
    await start();
    const lead = await receive();
    await change(lead.id, 'claim');
    await change(lead.id, 'qualify');
    const refusedId = (id: string) => receiver.requests.filter((r) => r.id === id).length;
    let bad = '';
    receiver.answer = ({ body }) => {
      if (body.data.change.sequence === 1 || body.data.change.sequence === 2) {
        bad ||= body.id;
        return 400;
      }
      return 200;
    };
    outbox.kick();
    await until(
      async () => (await store.getLead(lead.id))?.events?.[key()]?.sent === 3,
      'the cursor at the end',
    );
    assert.deepEqual(sequences(lead.id), [0]);
    assert.equal(refusedId(bad), 1, 'a refused event is not retried');
    const health = (await outbox.health()).endpoints[0];
    assert.equal(health?.failed, 2);
    assert.equal(notices.filter((t) => t.startsWith('giving up')).length, 1, 'told once, not per event');
    receiver.answer = () => 200;
    await change(lead.id, 'won');
    outbox.kick();
    await receiver.waitFor(() => receiver.of(lead.id).length === 2);
    await outbox.settled();
    assert.deepEqual(sequences(lead.id), [0, 3]);
    assert.equal(
      (await store.listEventEndpoints())[0]?.failureToldAt,
      undefined,
      'a success ends the episode',
    );
  });

  it('gives an event up 24 h after its first failure (a fake clock), then the next one goes', async () => {
    clock = Date.parse('2026-11-24T10:00:00Z');
    receiver.answer = () => 503;
    await start();
    const lead = await receive();
    await change(lead.id, 'claim');
    outbox.kick();
    await receiver.waitFor(() => receiver.requests.length === 1);
    await outbox.settled();
    const cursor = (await store.getLead(lead.id))?.events?.[key()];
    assert.equal(cursor?.sent, 0);
    assert.equal(cursor?.firstFailedAt, '2026-11-24T10:00:00.000Z');
    assert.equal(cursor?.lastError, 'HTTP 503');

    clock += DAY - 1000; // not yet a day: tried again, kept
    outbox.kick();
    await receiver.waitFor(() => receiver.requests.length === 2);
    await outbox.settled();
    assert.equal((await store.getLead(lead.id))?.events?.[key()]?.sent, 0);
    assert.deepEqual(notices, []);

    clock += 2000; // a day since the first failure: given up on
    outbox.kick();
    await receiver.waitFor(() => receiver.requests.length === 3);
    await until(async () => (await store.getLead(lead.id))?.events?.[key()]?.sent === 1, 'the give-up');
    assert.equal((await store.getLead(lead.id))?.events?.[key()]?.failed, 1);
    assert.equal(notices.length, 1);
    assert.match(notices[0] ?? '', /giving up L-EV\d+ HTTP 503/);

    receiver.answer = () => 200;
    clock += 60_000;
    outbox.kick();
    await receiver.waitFor(() => receiver.events.length === 1);
    assert.deepEqual(sequences(lead.id), [1], 'the claim goes once the receiver is back');
    assert.equal((await outbox.health()).endpoints[0]?.failed, 1);
  });

  it('stops an endpoint that answers 410, stores it, tells managers once, also across a restart', async () => {
    receiver.answer = () => 410;
    await start();
    const lead = await receive();
    outbox.kick();
    await until(async () => (await store.listEventEndpoints())[0]?.stopped?.status === 410, 'the stop');
    await until(() => notices.length === 1, 'the notice');
    assert.equal(notices[0], `stopped ${receiver.url} 410`);
    await change(lead.id, 'claim');
    outbox.kick();
    await outbox.settled();
    assert.equal(receiver.requests.length, 1, 'nothing more is sent there');
    assert.equal((await outbox.health()).endpoints[0]?.state, 'stopped');

    await outbox.stop();
    await start(); // the same store, as after a restart with the same EVENTS_URL
    await outbox.settled();
    assert.equal(receiver.requests.length, 1);
    assert.equal(notices.length, 1, 'managers are not told again');
  });

  it('sends events queued before an erasure, after it, without the personal data they once had', async () => {
    let down = true;
    receiver.answer = () => (down ? 503 : 200);
    await start();
    const lead = await receive();
    await change(lead.id, 'note', `Call ${lead.customer.firstName} on +351 912 345 678`);
    outbox.kick();
    await receiver.waitFor(() => receiver.requests.length >= 1);
    const current = (await store.getLead(lead.id)) as Lead;
    await store.saveLead(
      eraseCustomer(current, { aadObjectId: 'aad-alex', name: 'Alex' }, 'request', now()),
      current.version,
    );
    down = false;
    await until(async () => receiver.of(lead.id).length === 3, 'the three events', 15_000);
    assert.deepEqual(
      receiver.of(lead.id).map((e) => e.type.split('.').at(-1)),
      ['received', 'note_added', 'erased'],
    );
    for (const event of receiver.of(lead.id)) {
      assert.doesNotMatch(
        event.body,
        new RegExp(`${lead.customer.firstName}|${lead.customer.email}|912 345`),
      );
      assert.equal(event.data.customer, undefined);
    }
  });

  it('owes a newly added endpoint only the changes made from then on, and never sends test leads', async () => {
    clock = Date.parse('2026-11-24T10:00:00Z');
    const before = await receive();
    clock += 60_000;
    await start();
    const test = await receive({ isTest: true });
    clock += 60_000;
    await change(before.id, 'claim');
    outbox.kick();
    await receiver.waitFor(() => receiver.events.length >= 1);
    await outbox.settled();
    assert.deepEqual(
      receiver.events.map((e) => `${e.subject}#${e.sequence}`),
      [`${before.id}#1`],
    );
    assert.equal(receiver.of(test.id).length, 0);
  });
});
