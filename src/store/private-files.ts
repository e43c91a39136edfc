import { chmod, lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

// DATA_DIR holds customers' names, e-mails and phones: only the user the bot runs as may read it.
/** Folders in DATA_DIR: the owner only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Files in DATA_DIR: the owner may read and write them, nobody else anything. */
export const PRIVATE_FILE_MODE = 0o600;

export interface Tightened {
  /** Entries whose mode was changed. */
  changed: number;
  /** Entries that could not be changed (another owner, a read-only mount), with the reason. */
  refused: string[];
}

/**
 * Makes `dir` and everything in it private (folders 0700, files 0600) where it is not already: a
 * DATA_DIR made by an older version, a backup restored with `cp`, or a umask of 022. `dir` itself
 * may be a symbolic link (to a mounted disk, say); links inside it are left alone (their target
 * may be anything).
 */
export async function tightenDataDir(dir: string): Promise<Tightened> {
  const result: Tightened = { changed: 0, refused: [] };
  await tighten(dir, (await stat(dir)).mode, true, result);
  return result;
}

async function tighten(path: string, mode: number, isDir: boolean, result: Tightened): Promise<void> {
  const wanted = isDir ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
  if ((mode & 0o777) !== wanted) {
    try {
      await chmod(path, wanted);
      result.changed++;
    } catch (error) {
      result.refused.push(`${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  if (!isDir) return;
  for (const name of await readdir(path)) {
    const child = join(path, name);
    const info = await lstat(child);
    if (info.isDirectory() || info.isFile()) await tighten(child, info.mode, info.isDirectory(), result);
  }
}
