// /healthz under store faults (issue 19, items 14 and 15): it answers at once from what the
// instance knows, `503 degraded` with a reason while the store refuses, fails or does not answer,
// and `200` again once it does. Never the store's 500, never a wait on the store.
import assert from 'node:assert/strict';
import type { AppOptions } from '../../src/app.js';
import type { LeadStore } from '../../src/leads/store.js';
import { AzureTableStore } from '../../src/store/azure-table-store.js';
import { type Azurite, startAzurite } from '../fakes/azurite.js';
import { type FaultyProxy, startFaultyProxy } from '../fakes/faulty-proxy.js';
import { Harness } from './harness.js';

const TIMING = { timeoutMs: 600, answerWithinMs: 200, staleAfterMs: 60_000, everyMs: 60_000 };
/** Well past answerWithinMs: a /healthz that waits on the store fails the test instead of hanging it. */
const ANSWER_BOUND_MS = 1_500;

interface Health {
  status: number;
  body: { status: string; reason?: string; leads?: number; storeAnsweredSecondsAgo?: number | null };
}

async function healthz(harness: Harness): Promise<Health> {
  const response = await fetch(`${harness.url}/healthz`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
  return { status: response.status, body: (await response.json()) as Health['body'] };
}

/** Asks until `done` holds; each answer must come within the bound, and none may be a 500. */
async function healthzUntil(harness: Harness, done: (health: Health) => boolean): Promise<Health[]> {
  const seen: Health[] = [];
  for (;;) {
    const health = await healthz(harness);
    seen.push(health);
    assert.notEqual(health.status, 500, `a 500: ${JSON.stringify(health.body)}`);
    if (done(health)) return seen;
  }
}

const degraded = (h: Health) => h.status === 503 && h.body.status === 'degraded';
const ok = (h: Health) => h.status === 200 && h.body.status === 'ok';

describe('/healthz with the embedded store', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await Harness.start({}, { healthTiming: TIMING });
  });
  afterEach(() => harness.stop());

  it('answers from what it knows while the store does not answer, 503 past the timeout, 200 once it answers', async () => {
    const store = harness.app.store;
    assert.ok(ok(await healthz(harness)));
    const original = store.health.bind(store);
    let release: () => void = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    store.health = async () => {
      await stalled;
      return original();
    };
    const seen = await healthzUntil(harness, degraded);
    assert.match(String(seen.at(-1)?.body.reason), /has not answered for \d+ s/);
    assert.equal(seen.at(-1)?.body.leads, 0, 'the last figures known are still shown');
    release();
    store.health = original;
    await healthzUntil(harness, ok);
  });

  it('answers 503 degraded with a short reason, not 500, when reading the figures fails', async () => {
    const store = harness.app.store;
    const original = store.stats.bind(store);
    store.stats = async () => {
      throw new Error('EIO: i/o error, read');
    };
    const [health] = await healthzUntil(harness, degraded);
    assert.match(String(health?.body.reason), /could not be read: Error: EIO/);
    store.stats = original;
    await healthzUntil(harness, ok);
  });
});

describe('/healthz with the Azure store (on Azurite)', function () {
  this.timeout(30_000);
  let azurite: Azurite;
  before(async () => {
    azurite = await startAzurite();
  });
  after(() => azurite.dispose());

  async function harnessOn(
    connectionString: string,
    retry: NonNullable<Parameters<typeof AzureTableStore.open>[0]['retry']>,
  ) {
    const store: LeadStore = await AzureTableStore.open({
      connectionString,
      clientOptions: azurite.clientOptions,
      prefix: azurite.freshPrefix(),
      retry,
    });
    const options: Partial<AppOptions> = { store, healthTiming: TIMING };
    return Harness.start({}, options);
  }

  it('answers 503 degraded while the network to Azure is stalled, at once, and 200 once it flows again', async () => {
    const proxy: FaultyProxy = await startFaultyProxy(azurite);
    // Each try waits 2 s and there are 4: a /healthz that waited would take 8 s or more.
    const harness = await harnessOn(proxy.connectionString, {
      tries: 4,
      tryTimeoutMs: 2_000,
      backoffMs: [10],
    });
    try {
      assert.ok(ok(await healthz(harness)));
      proxy.failAll({ hang: true });
      const seen = await healthzUntil(harness, degraded);
      assert.match(String(seen.at(-1)?.body.reason), /has not answered/);
      proxy.failAll(undefined);
      await healthzUntil(harness, ok);
    } finally {
      proxy.failAll(undefined);
      await harness.stop();
      await proxy.close();
    }
  });

  it('answers 503 degraded, not 500 with the storage error, while Azure refuses connections', async () => {
    const proxy: FaultyProxy = await startFaultyProxy(azurite);
    const harness = await harnessOn(proxy.connectionString, { tries: 2, tryTimeoutMs: 500, backoffMs: [10] });
    try {
      assert.ok(ok(await healthz(harness)));
      await proxy.close(); // nothing listens on its port any more: connections are refused
      const seen = await healthzUntil(harness, degraded);
      assert.doesNotMatch(JSON.stringify(seen.at(-1)?.body), /"error"/);
      assert.ok(seen.at(-1)?.body.reason, 'says why');
    } finally {
      await harness.stop();
    }
  });
});
