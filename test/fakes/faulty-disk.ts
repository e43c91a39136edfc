import { open } from 'node:fs/promises';
import type { LogFile, OpenLogFile } from '../../src/store/change-log.js';

export type Fault = 'short' | 'enospc' | 'eio';

/**
 * Real change-log files with faults injected at the file layer: the next write calls can be cut
 * short (half the bytes really written, as a nearly full disk does), or fail with ENOSPC or EIO.
 */
export class FaultyDisk {
  /** Consumed one per write call, in order; empty means every write works. */
  readonly faults: Fault[] = [];
  /** While set, every write fails with ENOSPC (a disk that stays full). */
  full = false;
  private readonly held: Array<Promise<void>> = [];

  /** The next write waits until `release` is called, then fails with ENOSPC: a write still in flight. */
  holdNext(): () => void {
    let release!: () => void;
    this.held.push(new Promise((resolve) => (release = resolve)));
    return release;
  }

  readonly openLog: OpenLogFile = async (path) => {
    const file = await open(path, 'a');
    const write = async (buffer: Buffer, offset = 0, length = buffer.length - offset) => {
      const held = this.held.shift();
      if (held) {
        await held;
        throw errno('ENOSPC', 'no space left on device');
      }
      const fault = this.full ? 'enospc' : this.faults.shift();
      if (fault === 'enospc') throw errno('ENOSPC', 'no space left on device');
      if (fault === 'eio') throw errno('EIO', 'i/o error');
      if (fault === 'short') return file.write(buffer, offset, Math.max(1, Math.floor(length / 2)));
      return file.write(buffer, offset, length);
    };
    return {
      write,
      sync: () => file.sync(),
      truncate: (length?: number) => file.truncate(length),
      stat: () => file.stat(),
      close: () => file.close(),
    } as unknown as LogFile;
  };
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, write`), { code });
}
