import { open, readFile, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { StorageError } from '../errors.js';

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

  async write(data: T): Promise<void> {
    const temp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.tmp`);
    const file = await open(temp, 'w');
    try {
      await file.writeFile(JSON.stringify(data, null, 1));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, this.path);
    await syncDirectory(dirname(this.path));
  }
}

export async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
