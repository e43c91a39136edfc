import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { leadFixture } from '../fixtures/load.js';
import { WEBHOOK_SECRET } from './harness.js';
import { parseResponse, RawClient, tryConnect } from './raw-client.js';

const ENTRY = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
// What `--import tsx` loads, named by path: the child runs from a temp dir, where `tsx` resolves to nothing.
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/** A port free right now (the app takes a fixed PORT; 0 would not tell us which it got). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** The app as `npm start` runs it: its own process, configured by the environment only. */
class AppProcess {
  output = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
    });
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  async waitForOutput(text: string): Promise<void> {
    while (!this.output.includes(text)) {
      if (this.child.exitCode !== null) assert.fail(`exited before printing "${text}":\n${this.output}`);
      await Promise.race([once(this.child.stderr ?? this.child, 'data'), this.exited]);
    }
  }
}

describe('stopping the app process with SIGTERM', function () {
  this.timeout(30_000); // the child compiles the whole app with tsx first

  let dataDir: string;
  let app: AppProcess | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lead-assistant-signal-'));
  });
  afterEach(async () => {
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGKILL');
      await app.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers the request it is receiving, then exits 0 with the lead on disk', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', TSX, ENTRY], {
      // Run from the data dir so no developer's .env is read; only what is set here counts.
      cwd: dataDir,
      env: {
        PATH: process.env.PATH ?? '',
        ALLOW_UNAUTHENTICATED_BOT: 'true',
        LEADS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        DATA_DIR: dataDir,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app = new AppProcess(child);
    await app.waitForOutput('listening on');
    assert.match(app.output, /listening on 127\.0\.0\.1 port \d+ \(this machine only\)/);
    const url = `http://127.0.0.1:${port}`;

    const body = leadFixture('contact-me');
    const client = await RawClient.connect(url);
    client.write(
      'POST /api/leads HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        `x-leads-key: ${WEBHOOK_SECRET}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        'Expect: 100-continue\r\n\r\n',
    );
    await client.waitFor('100 Continue');
    child.kill('SIGTERM');
    await app.waitForOutput('SIGTERM');
    assert.equal(await tryConnect(url), 'ECONNREFUSED');
    client.write(body);
    await client.closed;

    assert.equal(client.error, undefined, 'the connection was reset');
    const response = parseResponse(client.received);
    assert.equal(response.status, 202, client.received);
    const { id, status } = JSON.parse(response.body) as { id: string; status: string };
    assert.equal(status, 'accepted');
    assert.equal(await app.exited, 0, app.output);
    const store = await LowdbStore.open(dataDir);
    try {
      assert.equal((await store.getLead(id))?.id, id);
    } finally {
      await store.close();
    }
  });
});
