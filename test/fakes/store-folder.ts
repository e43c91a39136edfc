import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowdbStore, type StoreOptions } from '../../src/store/lowdb-store.js';

/**
 * A fresh data folder per test for the embedded store. `open` opens it as a restart would, after
 * playing `kill -9` of every store still open on it (`crash`: nothing more written, the folder's
 * lock let go); every store opened is closed after the test, and the folder removed.
 */
export function useStoreFolder(prefix: string) {
  let dir = '';
  let opened: LowdbStore[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    opened = [];
  });
  afterEach(async () => {
    for (const store of opened) await store.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  const crash = async () => {
    for (const store of opened) await store.abandon();
  };
  return {
    get dir() {
      return dir;
    },
    crash,
    async open(options?: StoreOptions): Promise<LowdbStore> {
      await crash();
      const store = await LowdbStore.open(dir, options);
      opened.push(store);
      return store;
    },
  };
}
