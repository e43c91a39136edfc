// A closed month's index file (`leads/YYYY-MM.index.json`): what the store's indexes need of the
// month file, so a start need not parse it. Derived, never trusted blindly: used only while the
// month file is the one it was written for (same size, time and inode: a compaction or an edit by
// hand makes a new one); otherwise, or if it is damaged, the month is parsed and it is written again.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Lead } from '../leads/lead.js';
import { DurableJsonFile } from './durable-json-file.js';
import { writeSearchFile } from './month-search.js';

export interface MonthIndex {
  format: typeof INDEX_FORMAT;
  snapshot: { bytes: number; mtimeMs: number; ino: number; changeLog: number; logCreated?: true };
  /** The caller's indexes of the month's leads (LeadIndexes.summarize). */
  summary: unknown;
}

const INDEX_FORMAT = 1;

/** The month's index file if it fits the month file as it is now; otherwise nothing. */
export async function readMonthIndex(dir: string, key: string): Promise<MonthIndex | undefined> {
  try {
    const db = new Low<Partial<MonthIndex>>(new DurableJsonFile(indexPath(dir, key)), {});
    await db.read();
    const { format, snapshot } = db.data;
    const file = await stat(join(dir, `${key}.json`));
    const fits =
      format === INDEX_FORMAT &&
      snapshot?.bytes === file.size &&
      snapshot.mtimeMs === file.mtimeMs &&
      snapshot.ino === file.ino &&
      Number.isInteger(snapshot.changeLog);
    return fits ? (db.data as MonthIndex) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the index file (and the search file) of a month file just read or written, through
 * lowdb; one that cannot be written is made at a later start.
 */
export async function writeMonthIndex(
  dir: string,
  key: string,
  data: { changeLog: number; logCreated?: true; leads: Lead[] },
  summary: unknown,
): Promise<void> {
  try {
    const file = await stat(join(dir, `${key}.json`));
    const snapshot = {
      bytes: file.size,
      mtimeMs: file.mtimeMs,
      ino: file.ino,
      changeLog: data.changeLog,
      ...(data.logCreated ? { logCreated: true as const } : {}),
    };
    await new Low<MonthIndex>(new DurableJsonFile(indexPath(dir, key)), {
      format: INDEX_FORMAT,
      snapshot,
      summary,
    }).write();
    await writeSearchFile(dir, key, data.changeLog, data.leads);
  } catch {
    // Derived data: the next start parses the month and writes it again.
  }
}

function indexPath(dir: string, key: string): string {
  return join(dir, `${key}.index.json`);
}
