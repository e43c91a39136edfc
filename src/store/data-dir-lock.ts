import { randomUUID } from 'node:crypto';
import { open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StorageError } from '../errors.js';
import { PRIVATE_FILE_MODE } from './private-files.js';

/** Who holds a data folder. Written once into the lock file, which the holder touches as a heartbeat. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /** The kernel's boot id: with the host, tells whether `pid` can be checked from here. */
  bootId?: string;
  /** The process's start time in clock ticks (`/proc/<pid>/stat`): a reused pid is not the holder. */
  started?: string;
  token: string;
}

export interface LockOptions {
  /** How often the holder touches the lock (default 10 s). */
  heartbeatMs?: number;
  /** A holder on another host (or boot) is presumed gone after this long without a heartbeat (default 60 s). */
  staleMs?: number;
  /** Called once if the lock file is deleted or taken over behind this process's back. */
  onLost?: (reason: string) => void;
  /** Called when a lock left by a dead process was taken over. */
  onRecovered?: (stale: LockHolder) => void;
}

export const LOCK_FILE = 'lead-assistant.lock';

/**
 * One process per data folder. Node has no advisory file lock, so the lock is a file created
 * exclusively that names its holder. A lock left by a crash is recovered safely: on the same host
 * and boot, the holder's pid is checked (with its start time, so a reused pid does not count);
 * from another host (a shared disk), the holder is gone once its heartbeat is older than `staleMs`.
 * Taking over a stale lock renames it aside first, so of two processes recovering at once only
 * one wins.
 */
export class DataDirLock {
  private timer: NodeJS.Timeout | undefined;
  private lost = false;

  private constructor(
    readonly path: string,
    private readonly holder: LockHolder,
    private readonly options: LockOptions,
  ) {}

  static async acquire(dir: string, options: LockOptions = {}): Promise<DataDirLock> {
    const path = join(dir, LOCK_FILE);
    const me: LockHolder = {
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
      ...(await ownIdentity()),
      token: randomUUID(),
    };
    const staleMs = options.staleMs ?? 60_000;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await createExclusive(path, me)) {
        const lock = new DataDirLock(path, me, options);
        lock.startHeartbeat();
        return lock;
      }
      const found = await readHolder(path);
      if (found === 'missing') continue;
      const ageMs = Date.now() - found.touchedAt;
      if (await isAlive(found.holder, ageMs, staleMs))
        throw new StorageError(inUse(dir, found.holder, ageMs));
      if (await takeOver(path, found.holder)) options.onRecovered?.(found.holder as LockHolder);
    }
    throw new StorageError(
      `Could not take the lock ${path}: other processes keep taking it. Nothing was changed.`,
    );
  }

  /** True while this process still holds the folder (checked at every heartbeat). */
  get held(): boolean {
    return !this.lost;
  }

  /** Verifies the lock is still this process's own; false (and `onLost`) once it is not. */
  async verify(): Promise<boolean> {
    if (this.lost) return false;
    const found = await readHolder(this.path).catch(() => 'missing' as const);
    if (found !== 'missing' && found.holder.token === this.holder.token) return true;
    this.lost = true;
    clearInterval(this.timer);
    const reason =
      found === 'missing'
        ? `${this.path} was deleted while this process held it`
        : `${this.path} was taken by process ${found.holder.pid ?? '?'} on ${found.holder.host ?? '?'}`;
    this.options.onLost?.(reason);
    return false;
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    if (this.lost) return;
    this.lost = true;
    const found = await readHolder(this.path).catch(() => 'missing' as const);
    if (found !== 'missing' && found.holder.token === this.holder.token)
      await unlink(this.path).catch(() => undefined);
  }

  private startHeartbeat(): void {
    this.timer = setInterval(() => {
      void this.verify().then(async (held) => {
        if (held) await utimes(this.path, new Date(), new Date()).catch(() => undefined);
      });
    }, this.options.heartbeatMs ?? 10_000);
    this.timer.unref();
  }
}

/** Creates the lock with its whole content, or returns false if it exists. */
async function createExclusive(path: string, me: LockHolder): Promise<boolean> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await file.writeFile(`${JSON.stringify(me, null, 1)}\n`);
    await file.sync();
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
  return true;
}

type Found = { holder: Partial<LockHolder>; touchedAt: number };

async function readHolder(path: string): Promise<Found | 'missing'> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let holder: Partial<LockHolder> = {};
    try {
      holder = JSON.parse(text) as Partial<LockHolder>;
    } catch {
      // Being written right now, or cut short by a crash: judged by its age alone.
    }
    return { holder, touchedAt: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

async function isAlive(holder: Partial<LockHolder>, ageMs: number, staleMs: number): Promise<boolean> {
  const here = await ownIdentity();
  const checkable =
    holder.pid !== undefined &&
    holder.host === hostname() &&
    holder.bootId !== undefined &&
    holder.bootId === here.bootId;
  if (!checkable || holder.pid === undefined) return ageMs < staleMs;
  if (holder.pid === process.pid && holder.started === here.started) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = await startTicks(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

/** Moves a stale lock aside; puts it back if what was moved turned out to be a fresh one. */
async function takeOver(path: string, stale: Partial<LockHolder>): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = await readHolder(aside);
  const same = moved !== 'missing' && moved.holder.token === stale.token;
  if (!same) await rename(aside, path).catch(() => undefined);
  else await unlink(aside).catch(() => undefined);
  return same;
}

function inUse(dir: string, holder: Partial<LockHolder>, ageMs: number): string {
  return (
    `DATA_DIR ${dir} is in use by process ${holder.pid ?? '?'} on ${holder.host ?? '?'} ` +
    `since ${holder.since ?? '?'} (last heartbeat ${Math.round(ageMs / 1000)} s ago). Nothing was changed. ` +
    'Only one Lead Assistant may use a data folder: stop the other one, or give this one its own ' +
    'DATA_DIR (for several instances, use the shared Azure store). A lock left by a crash on this ' +
    'machine is taken over at once; from another machine, once it has had no heartbeat for a minute.'
  );
}

let identity: Promise<Pick<LockHolder, 'bootId' | 'started'>> | undefined;

function ownIdentity(): Promise<Pick<LockHolder, 'bootId' | 'started'>> {
  identity ??= (async () => {
    const bootId = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
    const started = await startTicks(process.pid);
    return { ...(bootId ? { bootId } : {}), ...(started ? { started } : {}) };
  })();
  return identity;
}

/** Field 22 of `/proc/<pid>/stat`, after the command name (which may hold spaces and parentheses). */
async function startTicks(pid: number): Promise<string | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return fields[19] || undefined;
}
