import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AzureTableStore } from '../../src/store/azure-table-store.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { type Azurite, startAzurite } from '../fakes/azurite.js';
import { makeIncoming, storedLead } from '../fakes/lead-factory.js';

const LEADS = 2000;
const SCRIPT = fileURLToPath(new URL('../../scripts/migrate.ts', import.meta.url));

/** `npm run migrate -- --to azure-table`, as an operator runs it, with its output as it comes. */
function runMigrate(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  done: Promise<number>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--to', 'azure-table'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk));
  const done = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : 0))),
  );
  return { child, output: () => text, done };
}

describe('npm run migrate -- --to azure-table (embedded store → Azurite)', function () {
  this.timeout(180_000);
  let azurite: Azurite;
  let dir: string;
  before(async () => {
    [azurite, dir] = await Promise.all([startAzurite(), mkdtemp(join(tmpdir(), 'migrate-cli-'))]);
    const source = await LowdbStore.open(dir);
    for (let n = 0; n < LEADS; n += 200)
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => source.createLead(storedLead(makeIncoming(n + i)))),
      );
    await source.close();
  });
  after(async () => {
    await azurite?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('is killed half-way (kill -9), run again, and ends with every lead once, as the counts say', async () => {
    const prefix = azurite.freshPrefix();
    const env = {
      DATA_DIR: dir,
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_TABLE_PREFIX: prefix,
      MicrosoftAppId: '',
      ALLOW_UNAUTHENTICATED_BOT: 'true',
    };
    const first = runMigrate(env);
    // Killed once the progress shows a few hundred copied: what an operator's Ctrl-\ or a crash does.
    await new Promise<void>((resolve, reject) => {
      const look = () => {
        if (/\] ([3-9]\d\d|1\d{3})\/2000 leads/.test(first.output())) {
          first.child.kill('SIGKILL');
          resolve();
        }
      };
      first.child.stderr?.on('data', look);
      first.done.then(() => reject(new Error(`finished before it could be killed:\n${first.output()}`)));
    });
    await first.done;

    const target = await AzureTableStore.open({
      connectionString: azurite.connectionString,
      clientOptions: azurite.clientOptions,
      prefix,
    });
    const partial = (await target.stats()).leads;
    assert.ok(partial > 0 && partial < LEADS, `${partial} leads copied before the kill`);

    const second = runMigrate(env);
    assert.equal(await second.done, 0, second.output());
    assert.match(
      second.output(),
      new RegExp(`The Azure store now holds ${LEADS} leads; the embedded store holds ${LEADS}\\.`),
    );
    const copied = Number(/Copied (\d+) leads/.exec(second.output())?.[1]);
    const there = Number(/\((\d+) were there already/.exec(second.output())?.[1]);
    assert.equal(copied + there, LEADS, 'each lead copied by one run or the other');
    assert.ok(there >= partial, 'what the first run copied is not copied again');
    assert.equal((await target.listLeads()).length, LEADS, 'no lead twice');
    await target.close();
  });

  it('refuses to run while the server holds the embedded store, and changes nothing', async () => {
    const server = await LowdbStore.open(dir);
    try {
      const run = runMigrate({
        DATA_DIR: dir,
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        AZURE_TABLE_PREFIX: azurite.freshPrefix(),
        ALLOW_UNAUTHENTICATED_BOT: 'true',
      });
      assert.equal(await run.done, 1);
      assert.match(run.output(), /is in use by process/);
      assert.match(run.output(), /Nothing was lost/);
    } finally {
      await server.close();
    }
  });
});
