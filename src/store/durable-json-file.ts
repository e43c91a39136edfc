import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { StorageError, StorageUnavailableError } from '../errors.js';
import { describeError } from '../log.js';
import { PRIVATE_FILE_MODE } from './private-files.js';

/**
 * A lowdb adapter that survives power loss, not only a killed process: lowdb's own writer renames
 * a temp file without fsync, so the rename can reach the disk before the data does.
 * Order here: write temp → fsync temp → rename over the target → fsync the directory.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly path: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      // Never "repair" by overwriting: the file may hold leads nobody else has.
      throw new StorageError(
        `${this.path} is damaged (${(error as Error).message}). Nothing was changed. ` +
          'Move it aside and restore it from your backup of DATA_DIR, or fix the JSON by hand ' +
          '(it is plain, indented JSON), then start again.',
      );
    }
  }

  /** Replaces the file whole, or leaves it as it was (and no temp file) and throws. */
  async write(data: T): Promise<void> {
    // Its own temp file per write: two writes of one file at once (a fold and a lookup writing a
    // derived file) must never write into each other's, whichever renames last.
    const temp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.${++writes}${TEMP_SUFFIX}`);
    const text = JSON.stringify(data, null, 1);
    try {
      const file = await open(temp, 'w', PRIVATE_FILE_MODE);
      try {
        await file.writeFile(text);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, this.path);
      await syncDirectory(dirname(this.path));
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new StorageUnavailableError(`Could not write ${this.path}: ${describeError(error)}`);
    }
  }
}

/** Writes made by this process: each write's temp file is its own. */
let writes = 0;

/** Temp files of whole-file writes; one left behind was cut short by a crash and holds nothing needed. */
export const TEMP_SUFFIX = '.tmp';

/** Removes temp files a crashed write left in `dir` (only under the lock on the data folder). */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const stale = (await readdir(dir)).filter((name) => name.startsWith('.') && name.endsWith(TEMP_SUFFIX));
  for (const name of stale) await unlink(join(dir, name)).catch(() => undefined);
  return stale;
}

export async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
