import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../../src/app.js';
import { readConfig } from '../../src/config/config.js';
import type { LeadStore } from '../../src/leads/store.js';
import { silentLogger } from '../../src/log.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { leadFixture } from '../fixtures/load.js';
import { WEBHOOK_SECRET } from './harness.js';
import { parseResponse, RawClient, tryConnect } from './raw-client.js';

/** A store whose `createLead` waits at a gate: a slow disk, held open as long as the test likes. */
function slowInserts(store: LeadStore) {
  let entered!: () => void;
  let release!: () => void;
  const writing = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const slow = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'createLead') return value.bind(target);
      return async (...args: unknown[]) => {
        entered();
        await gate;
        return value.apply(target, args);
      };
    },
  });
  return { store: slow, writing, release };
}

function leadRequest(body: string, extraHeaders = ''): string {
  return (
    'POST /api/leads HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
    `x-leads-key: ${WEBHOOK_SECRET}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extraHeaders}\r\n`
  );
}

describe('stopping the server', () => {
  let dataDir: string;
  let app: App;
  let url: string;
  let closing: Promise<void> | undefined;
  const stop = () => {
    closing ??= app.close();
    return closing;
  };

  async function start(store?: LeadStore) {
    const config = readConfig({
      ALLOW_UNAUTHENTICATED_BOT: 'true',
      LEADS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      DATA_DIR: dataDir,
    });
    app = await createApp(config, { log: silentLogger, ...(store ? { store } : {}) });
    closing = undefined;
    url = await app.listen(0, '127.0.0.1');
  }

  async function storedLead(id: string) {
    const store = await LowdbStore.open(dataDir);
    try {
      return await store.getLead(id);
    } finally {
      await store.close();
    }
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lead-assistant-stop-'));
  });
  afterEach(async () => {
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a lead whose store write is still running when the stop begins, and keeps it', async () => {
    const slow = slowInserts(await LowdbStore.open(dataDir));
    await start(slow.store);
    const answer = fetch(`${url}/api/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-leads-key': WEBHOOK_SECRET },
      body: leadFixture('contact-me'),
    });
    await slow.writing;
    const stopped = stop();
    slow.release();
    const response = await answer;
    assert.equal(response.status, 202);
    assert.equal(response.headers.get('connection'), 'close', 'the client is told not to reuse it');
    const { id, status } = (await response.json()) as { id: string; status: string };
    assert.equal(status, 'accepted');
    await stopped;
    assert.equal((await storedLead(id))?.status, 'new');
  });

  it('answers a request whose body is still arriving, and refuses new connections meanwhile', async () => {
    await start();
    const body = leadFixture('get-it-now');
    const client = await RawClient.connect(url);
    client.write(leadRequest(body, 'Expect: 100-continue\r\n'));
    await client.waitFor('100 Continue'); // the server has the request and waits for its body
    const stopped = stop();
    assert.equal(await tryConnect(url), 'ECONNREFUSED');
    client.write(body.slice(0, 100));
    client.write(body.slice(100));
    await client.closed; // the server ends the connection after the answer
    assert.equal(client.error, undefined);
    const response = parseResponse(client.received);
    assert.equal(response.status, 202, client.received);
    assert.equal(response.headers.connection, 'close');
    assert.equal(JSON.parse(response.body).status, 'accepted');
    await stopped;
    assert.ok(await storedLead(JSON.parse(response.body).id));
  });

  it('answers the next request a keep-alive client has already sent when the stop begins', async () => {
    await start();
    const client = await RawClient.connect(url);
    const request = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n';
    client.write(request);
    await client.waitFor('"status":"ok"');
    client.write(request); // sent, but the server has not read it yet
    const stopped = stop();
    await client.closed;
    assert.equal(client.error, undefined, 'the connection was reset');
    const answers = client.received.split('HTTP/1.1 ').slice(1);
    assert.equal(answers.length, 2, client.received);
    assert.match(answers[1] ?? '', /^200 [\s\S]*Connection: close/i);
    await stopped;
  });

  it('closes an idle keep-alive connection at once instead of waiting for it to time out', async () => {
    await start();
    const client = await RawClient.connect(url);
    client.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await client.waitFor('"status":"ok"');
    assert.match(client.received, /Connection: keep-alive/i);
    const startedAt = performance.now();
    await stop();
    await client.closed;
    // Node would otherwise hold the connection for its keepAliveTimeout (5 s).
    assert.ok(performance.now() - startedAt < 2_500, `stop took ${performance.now() - startedAt} ms`);
    assert.equal(client.error, undefined);
  });

  it('stops an app that never started listening', async () => {
    await start();
    const unstarted = await createApp(
      readConfig({ ALLOW_UNAUTHENTICATED_BOT: 'true', DATA_DIR: join(dataDir, 'other') }),
      { log: silentLogger },
    );
    await unstarted.close();
  });
});
