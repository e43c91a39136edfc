import { type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StorageError, StorageUnavailableError } from '../errors.js';
import { describeError } from '../log.js';
import { syncDirectory } from './durable-json-file.js';
import { PRIVATE_FILE_MODE } from './private-files.js';

/** The part of a file handle a change log uses: the seam where tests inject disk faults. */
export type LogFile = Pick<FileHandle, 'write' | 'sync' | 'truncate' | 'stat' | 'close'>;
export type OpenLogFile = (path: string) => Promise<LogFile>;

const openForAppend: OpenLogFile = (path) => open(path, 'a', PRIVATE_FILE_MODE);

/** A last line cut off at open: an append that never finished, so never acknowledged. */
export interface CutLine {
  path: string;
  /** Where the cut started (bytes from the start of the file): the file's length now. */
  position: number;
  bytes: number;
  /** The lead id the half line held, when it got that far. */
  leadId?: string;
}

/** A last line kept at open: a whole record whose newline did not reach the disk, now added. */
export interface MendedLine {
  path: string;
  /** Where the record starts (bytes from the start of the file). */
  position: number;
  bytes: number;
  leadId?: string;
}

/**
 * An append-only file of JSON lines (one record per line, newest last). An append resolves only
 * once all its bytes are fsynced, so a crash or a power loss keeps every acknowledged record; a
 * failed append leaves the file exactly as it was before it.
 */
export class ChangeLog {
  /** A failed append whose bytes could not be cut off yet: the next append cuts them first. */
  private tail = false;

  private constructor(
    readonly path: string,
    private readonly file: LogFile,
    private size: number,
  ) {}

  /**
   * Reads every whole record. A last line without its newline is judged by parsing it, before
   * anything is cut: a whole JSON record (only its newline lost) is kept and its newline added,
   * since it may have been acknowledged; anything else is an append that never finished, cut off
   * so the next append starts clean. Either is reported. Damage anywhere else is an error that
   * changes nothing.
   */
  static async read<T>(
    path: string,
  ): Promise<{ records: T[]; bytes: number; cut?: CutLine; mended?: MendedLine }> {
    const buffer = await readFile(path);
    const end = buffer.lastIndexOf(0x0a) + 1;
    const records = parseLines<T>(path, buffer.subarray(0, end).toString('utf8'));
    if (end === buffer.length) return { records, bytes: end };
    const last = buffer.subarray(end);
    const text = last.toString('utf8');
    const leadId = /"id":"([^"]{1,40})"/.exec(text)?.[1];
    const where = { path, position: end, bytes: last.length, ...(leadId ? { leadId } : {}) };
    const record = parseRecord(text);
    if (record !== undefined) {
      await appendNewline(path);
      return { records: [...records, record as T], bytes: buffer.length + 1, mended: where };
    }
    await truncate(path, end);
    return { records, bytes: end, cut: where };
  }

  /**
   * The whole records of a log this process may be appending to, changing nothing: a half line at
   * the end is an append still on its way or one that failed (never acknowledged), so it is left
   * out. A log that does not exist holds nothing.
   */
  static async records<T>(path: string): Promise<T[]> {
    let buffer: Buffer;
    try {
      buffer = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return parseLines<T>(path, buffer.subarray(0, buffer.lastIndexOf(0x0a) + 1).toString('utf8'));
  }

  static async open(path: string, openFile: OpenLogFile = openForAppend): Promise<ChangeLog> {
    const file = await openFile(path);
    try {
      // A new file's name must reach the disk too, or a power loss could take the file with it.
      await syncDirectory(dirname(path));
      return new ChangeLog(path, file, (await file.stat()).size);
    } catch (error) {
      await file.close().catch(() => undefined);
      throw unavailable(path, error);
    }
  }

  /**
   * Appends the records and fsyncs them; returns the bytes added. Resolves only when every byte
   * is written (a short write is continued, a write of nothing is a full disk) and synced.
   * Throws StorageUnavailableError otherwise, after cutting the file back to where it was.
   */
  async append(records: unknown[]): Promise<number> {
    const bytes = Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    if (this.tail) await this.cutBack();
    try {
      for (let written = 0; written < bytes.length; ) {
        const { bytesWritten } = await this.file.write(bytes, written, bytes.length - written);
        if (bytesWritten <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        written += bytesWritten;
      }
      await this.file.sync();
    } catch (error) {
      this.tail = true;
      await this.cutBack().catch(() => undefined); // tried again before the next append
      throw unavailable(this.path, error);
    }
    this.size += bytes.length;
    return bytes.length;
  }

  close(): Promise<void> {
    return this.file.close();
  }

  /** Cuts off what a failed append left, so no half line or padding stays for later appends. */
  private async cutBack(): Promise<void> {
    try {
      await this.file.truncate(this.size);
      await this.file.sync();
    } catch (error) {
      throw unavailable(this.path, error);
    }
    this.tail = false;
  }
}

function parseLines<T>(path: string, text: string): T[] {
  const records: T[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch (error) {
      throw new StorageError(
        `${path} is damaged at line ${i + 1} (${(error as Error).message}). Nothing was changed. ` +
          'Restore DATA_DIR from your backup, or fix or remove that line by hand (one JSON lead per line).',
      );
    }
  }
  return records;
}

/** A whole record (every record is a JSON object; a cut-short one never parses), or undefined. */
function parseRecord(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Ends the last record with its newline, durably, so the next append starts a line of its own. */
async function appendNewline(path: string): Promise<void> {
  const file = await open(path, 'a');
  try {
    await file.write('\n');
    await file.sync();
  } finally {
    await file.close();
  }
}

function unavailable(path: string, error: unknown): StorageUnavailableError {
  if (error instanceof StorageUnavailableError) return error;
  return new StorageUnavailableError(`Could not write ${path}: ${describeError(error)}`);
}
