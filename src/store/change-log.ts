import { type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StorageError } from '../errors.js';
import { syncDirectory } from './durable-json-file.js';

/**
 * An append-only file of JSON lines (one record per line, newest last). An append resolves only
 * once its bytes are fsynced, so a crash or a power loss keeps every acknowledged record.
 */
export class ChangeLog {
  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
    private size: number,
  ) {}

  /**
   * Reads every whole record. A last line without its newline is an append that never finished
   * (never acknowledged): it is cut off so the next append starts clean. Damage anywhere else is
   * an error that changes nothing.
   */
  static async read<T>(path: string): Promise<{ records: T[]; bytes: number }> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], bytes: 0 };
      throw error;
    }
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) await truncate(path, Buffer.byteLength(text.slice(0, end)));
    const records: T[] = [];
    const lines = text.slice(0, end).split('\n');
    for (const [i, line] of lines.entries()) {
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
    return { records, bytes: Buffer.byteLength(text.slice(0, end)) };
  }

  static async open(path: string): Promise<ChangeLog> {
    const file = await open(path, 'a');
    // A new file's name must reach the disk too, or a power loss could take the file with it.
    await syncDirectory(dirname(path));
    return new ChangeLog(path, file, (await file.stat()).size);
  }

  /** Appends the records in one write and one fsync; returns the bytes added. */
  async append(records: unknown[]): Promise<number> {
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    const before = this.size;
    try {
      await this.file.write(text);
      await this.file.sync();
    } catch (error) {
      // Leave no half line behind for later appends to follow.
      await this.file.truncate(before).catch(() => undefined);
      throw error;
    }
    const added = Buffer.byteLength(text);
    this.size += added;
    return added;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
