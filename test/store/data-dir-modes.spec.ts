import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOnce } from '../../src/leads/intake.js';
import type { Logger } from '../../src/log.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { makeIncoming, storedLead } from '../fakes/lead-factory.js';

/** Every entry under `dir` (itself included) with its permission bits, as `ls -l` would show them. */
async function modes(dir: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  const walk = async (path: string, name: string) => {
    const info = await lstat(path);
    out.push([name, (info.mode & 0o777).toString(8)]);
    if (info.isDirectory())
      for (const child of (await readdir(path)).sort()) await walk(join(path, child), `${name}/${child}`);
  };
  await walk(dir, '.');
  return out;
}

/** Opens the store, stores two leads and a Teams send (the pacing journal), and closes it. */
async function fill(dataDir: string, log?: Logger): Promise<void> {
  const store = await LowdbStore.open(dataDir, log ? { log } : {});
  await createOnce(store, makeIncoming(1), storedLead);
  await createOnce(store, makeIncoming(2), storedLead);
  await store.recordSend({ thread: '19:a', tenant: 't1', at: Date.now() });
  await store.close();
}

// DATA_DIR holds customers' names, e-mails and phones: no other user of the machine may read it.
describe('DATA_DIR is private to the user the bot runs as', () => {
  let root = '';
  let umask = 0;
  beforeEach(async () => {
    umask = process.umask(0o022); // the usual default, which leaves new files readable by all
    root = await mkdtemp(join(tmpdir(), 'data-dir-modes-'));
  });
  afterEach(async () => {
    process.umask(umask);
    await rm(root, { recursive: true, force: true });
  });

  it('creates its folders 0700 and its files 0600, even under a umask of 022', async () => {
    const dataDir = join(root, 'data');
    await fill(dataDir);
    const found = await modes(dataDir);
    assert.ok(
      found.some(([name]) => name.endsWith('.jsonl')),
      JSON.stringify(found),
    );
    assert.ok(
      found.some(([name]) => name === './leads'),
      JSON.stringify(found),
    );
    for (const [name, mode] of found) {
      const isDir = (await lstat(join(dataDir, name))).isDirectory();
      assert.equal(mode, isDir ? '700' : '600', `${name} is ${mode}`);
    }
  });

  it('tightens a DATA_DIR made readable by all (an older version, a restored backup) at start, and says so', async () => {
    const dataDir = join(root, 'data');
    await fill(dataDir);
    const loosen = async (path: string) => {
      const info = await lstat(path);
      await chmod(path, info.isDirectory() ? 0o755 : 0o644);
      if (info.isDirectory()) for (const child of await readdir(path)) await loosen(join(path, child));
    };
    await loosen(dataDir);
    const before = await modes(dataDir);
    assert.ok(before.every(([, mode]) => mode === '755' || mode === '644'));

    const lines: string[] = [];
    const log = (message: string, fields?: Record<string, unknown>) =>
      lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
    await fill(dataDir, { info: log, warn: log, error: log });
    for (const [name, mode] of await modes(dataDir)) {
      const isDir = (await lstat(join(dataDir, name))).isDirectory();
      assert.equal(mode, isDir ? '700' : '600', `${name} is ${mode}`);
    }
    const said = lines.find((line) => line.includes('made it private'));
    assert.ok(said?.includes(`"entries":${before.length}`), lines.join('\n'));
  });

  it('tightens the folder a DATA_DIR symbolic link points to (a mounted disk)', async () => {
    const target = join(root, 'disk');
    await mkdir(target, { mode: 0o755 });
    await chmod(target, 0o755);
    const link = join(root, 'data');
    await symlink(target, link);
    await fill(link);
    assert.equal(((await lstat(target)).mode & 0o777).toString(8), '700');
    for (const [name, mode] of await modes(target)) {
      const isDir = (await lstat(join(target, name))).isDirectory();
      assert.equal(mode, isDir ? '700' : '600', `${name} is ${mode}`);
    }
  });
});
