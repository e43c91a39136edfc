import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Send } from '../leads/store.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/private-files.js';

export type { Send } from '../leads/store.js';

const line = (send: Send) => `${send.thread}\t${send.tenant}\t${send.at}\n`;

/** Sends older than this count toward no Teams window (the longest is 1800 per hour). */
const HORIZON_MS = 3_600_000;

/**
 * Remembers every send's time per thread across restarts, so a restart (even `kill -9` mid-burst)
 * does not forget Teams' windows and provoke a `429` with its first posts. Each send is written
 * with a plain `write` before it goes out: the kernel keeps it through a killed process without an
 * fsync (only a power loss could drop the last lines, and a machine that lost power is not back
 * within Teams' windows). Loaded at start, keeping the last hour, and rewritten then.
 */
export class PacingJournal {
  private fd: number;
  private lines = 0;

  private constructor(
    private readonly path: string,
    readonly sends: Send[],
  ) {
    this.fd = this.rewrite();
  }

  static open(path: string, now: number): PacingJournal {
    mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const sends: Send[] = [];
    for (const line of text.split('\n')) {
      const [thread, tenant, time] = line.split('\t');
      const at = Number(time);
      // A damaged or half-written line is only a forgotten send: pacing is a courtesy, not data.
      if (thread && tenant !== undefined && Number.isFinite(at) && now - at < HORIZON_MS)
        sends.push({ thread, tenant, at });
    }
    return new PacingJournal(path, sends);
  }

  /** Pacing is a courtesy: a journal that cannot be opened (a read-only folder) is done without. */
  static tryOpen(path: string, now: number, onError: (error: unknown) => void): PacingJournal | undefined {
    try {
      return PacingJournal.open(path, now);
    } catch (error) {
      onError(error);
      return undefined;
    }
  }

  record(send: Send): void {
    this.sends.push(send);
    try {
      writeSync(this.fd, line(send));
      // Kept short: once it holds far more than an hour at full speed could, drop what has aged out.
      if (++this.lines >= 50_000) {
        const keep = this.sends.filter((s) => send.at - s.at < HORIZON_MS);
        this.sends.splice(0, this.sends.length, ...keep);
        closeSync(this.fd);
        this.fd = this.rewrite();
      }
    } catch {
      // A full disk must not stop cards: what is not written is remembered until the process ends.
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private rewrite(): number {
    const temp = `${this.path}.tmp`;
    const fd = openSync(temp, 'w', PRIVATE_FILE_MODE);
    writeSync(fd, this.sends.map(line).join(''));
    closeSync(fd);
    renameSync(temp, this.path);
    this.lines = this.sends.length;
    return openSync(this.path, 'a', PRIVATE_FILE_MODE);
  }
}
