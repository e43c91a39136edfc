import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, SERVER_SECRET, type ServerProcess, startServer } from '../fakes/server-process.js';
import { leadFixture } from '../fixtures/load.js';

describe('two processes on one DATA_DIR', function () {
  this.timeout(60_000);
  let dataDir: string;
  const running: ServerProcess[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'two-processes-'));
  });
  afterEach(async () => {
    for (const server of running.splice(0)) {
      server.child.kill('SIGKILL');
      await exited(server.child);
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const server = await startServer(dataDir);
    running.push(server);
    return server;
  };

  it('refuses the second, naming the folder and the holder; after kill -9 of the first, a new one starts with every lead', async () => {
    const first = await start();
    await assert.rejects(startServer(dataDir), (error: Error & { code?: number }) => {
      assert.equal(error.code, 1);
      assert.ok(
        error.message.includes(
          `DATA_DIR ${dataDir} is in use by process ${first.child.pid} on ${hostname()}`,
        ),
        error.message,
      );
      return true;
    });
    const response = await fetch(`${first.url}/api/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-leads-key': SERVER_SECRET },
      body: leadFixture('contact-me'),
    });
    assert.equal(response.status, 202);

    first.child.kill('SIGKILL');
    await exited(first.child);
    const next = await start();
    assert.match(next.output(), /took over the lock of a process that is gone/);
    const health = (await (await fetch(`${next.url}/healthz`)).json()) as { status: string; leads: number };
    assert.deepEqual([health.status, health.leads], ['ok', 1]);
  });
});
