import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

// DATA_DIR holds customers' names, e-mails and phones: only the user the bot runs as may read it.
/** Folders in DATA_DIR: the owner only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Files in DATA_DIR: the owner may read and write them, nobody else anything. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes `dir` and everything in it private (folders 0700, files 0600) where it is looser: a
 * DATA_DIR made by an older version, a backup restored with `cp`, or a umask of 022. Symbolic
 * links are left alone (their target may be anything). Returns how many entries were tightened.
 */
export async function tightenDataDir(dir: string): Promise<number> {
  const info = await lstat(dir);
  let tightened = 0;
  if (info.isSymbolicLink()) return 0;
  if (info.isDirectory()) {
    if ((info.mode & 0o777) !== PRIVATE_DIR_MODE) {
      await chmod(dir, PRIVATE_DIR_MODE);
      tightened++;
    }
    for (const name of await readdir(dir)) tightened += await tightenDataDir(join(dir, name));
  } else if (info.isFile() && (info.mode & 0o777) !== PRIVATE_FILE_MODE) {
    await chmod(dir, PRIVATE_FILE_MODE);
    tightened++;
  }
  return tightened;
}
