import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../../src/app.js';
import { readConfig } from '../../src/config/config.js';
import { applyClientTimeouts, CLIENT_TIMEOUTS } from '../../src/http/client-timeouts.js';
import { silentLogger } from '../../src/log.js';
import { WEBHOOK_SECRET } from './harness.js';
import { parseResponse, RawClient } from './raw-client.js';

const HEADERS_MS = 300;
const REQUEST_MS = 600;
// Node checks every tenth of the headers limit here (every second with the real 15 s).
const SLACK_MS = 250;

/** Writes one piece every 50 ms, as a slow or hostile client would, until the server hangs up. */
function trickle(client: RawClient, piece: string): void {
  const timer = setInterval(() => client.write(piece), 50);
  client.closed.then(() => clearInterval(timer));
}

describe('slow clients', () => {
  let dataDir: string;
  let app: App;
  let url: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lead-assistant-slow-'));
    app = await createApp(
      readConfig({
        ALLOW_UNAUTHENTICATED_BOT: 'true',
        LEADS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        DATA_DIR: dataDir,
      }),
      { log: silentLogger },
    );
  });
  afterEach(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function listenWithShortTimeouts() {
    applyClientTimeouts(app.server.server, { headersMs: HEADERS_MS, requestMs: REQUEST_MS });
    url = await app.listen(0, '127.0.0.1');
  }

  it('cuts off a client still sending headers once the headers limit is up', async () => {
    await listenWithShortTimeouts();
    const client = await RawClient.connect(url);
    const startedAt = performance.now();
    client.write('POST /api/leads HTTP/1.1\r\nHost: localhost\r\n');
    trickle(client, 'X-Slow: a\r\n');
    await client.closed;
    const elapsed = performance.now() - startedAt;
    assert.equal(parseResponse(client.received).status, 408);
    assert.ok(elapsed >= HEADERS_MS - 20, `cut off too early, after ${elapsed} ms`);
    assert.ok(elapsed < HEADERS_MS + SLACK_MS, `cut off after ${elapsed} ms, limit ${HEADERS_MS} ms`);
  });

  it('cuts off a client still sending its body once the request limit is up', async () => {
    await listenWithShortTimeouts();
    const client = await RawClient.connect(url);
    const startedAt = performance.now();
    client.write(
      'POST /api/leads HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        `x-leads-key: ${WEBHOOK_SECRET}\r\nContent-Length: 10000\r\n\r\n{"a":"`,
    );
    trickle(client, 'aaaa');
    await client.closed;
    const elapsed = performance.now() - startedAt;
    assert.equal(parseResponse(client.received).status, 408);
    assert.ok(elapsed >= REQUEST_MS - 20, `cut off too early, after ${elapsed} ms`);
    assert.ok(elapsed < REQUEST_MS + SLACK_MS, `cut off after ${elapsed} ms, limit ${REQUEST_MS} ms`);
  });

  it('still answers a client that sends its request in pieces within the limits', async () => {
    await listenWithShortTimeouts();
    const client = await RawClient.connect(url);
    client.write('GET /healthz HTTP/1.1\r\n');
    client.write('Host: localhost\r\n\r\n');
    await client.waitFor('"status":"ok"');
    assert.equal(parseResponse(client.received).status, 200);
    client.destroy();
  });

  it('holds the real server to what the README promises: 15 s of headers, 30 s in all, checked every second', async () => {
    url = await app.listen(0, '127.0.0.1');
    const server = app.server.server as typeof app.server.server & { connectionsCheckingInterval: number };
    assert.deepEqual(CLIENT_TIMEOUTS, { headersMs: 15_000, requestMs: 30_000 });
    assert.equal(server.headersTimeout, 15_000);
    assert.equal(server.requestTimeout, 30_000);
    assert.ok(server.connectionsCheckingInterval <= 1_000);
  });
});
