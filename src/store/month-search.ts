// A closed month's search file (`leads/YYYY-MM.search.json`, beside its index file): per lead the
// text `find` matches and where the lead sits in the month file, so a search reads only the leads
// it finds. Derived like the index file: used only while the month file is the one it was made for.
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { customerName, type Lead } from '../leads/lead.js';
import { DurableJsonFile } from './durable-json-file.js';
import { firstAtLeast } from './lowdb/closed-month-ids.js';
import { hashKey } from './lowdb/hashed-ids.js';

interface SearchFile {
  format: 1;
  snapshot: { bytes: number; mtimeMs: number; ino: number; changeLog: number };
  /** Lower case: id, name, company, offer, e-mail (what any viewer's words may match, and more). */
  text: string[];
  /** Each lead's bytes in the month file: [start, end). */
  starts: number[];
  ends: number[];
}

/**
 * A closed month's places file (`leads/YYYY-MM.places.json`): where each lead is in the month
 * file, by a hash of its id (hashKey), as little-endian 32-bit triples (hash, start, end) sorted by hash,
 * in base64: a lookup by id reads this (about 16 bytes a lead) instead of the whole search file.
 */
interface PlacesFile {
  format: 1;
  snapshot: SearchFile['snapshot'];
  places: string;
}

const START = Buffer.from('\n  {');
const END = Buffer.from('\n  }');

/** Writes the month's search file, if the month file is laid out as this store writes it. */
export async function writeSearchFile(
  dir: string,
  key: string,
  changeLog: number,
  leads: Lead[],
): Promise<void> {
  const path = join(dir, `${key}.json`);
  const [bytes, file] = await Promise.all([readFile(path), stat(path)]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = bytes.indexOf(START); at >= 0; at = bytes.indexOf(START, at + START.length)) {
    const end = bytes.indexOf(END, at);
    if (end < 0) return;
    starts.push(at + 3);
    ends.push(end + END.length);
    at = end;
  }
  if (starts.length !== leads.length) return; // not laid out as written: `find` scans it instead
  const text = leads.map((lead) =>
    [lead.id, customerName(lead.customer), lead.customer.company, lead.offerTitle, lead.customer.email]
      .join(' ')
      .toLowerCase(),
  );
  const snapshot = { bytes: file.size, mtimeMs: file.mtimeMs, ino: file.ino, changeLog };
  const found: SearchFile = { format: 1, snapshot, text, starts, ends };
  await new Low<SearchFile>(new DurableJsonFile(join(dir, `${key}.search.json`)), found).write();
  const places = Places.of(found);
  if (places) await writePlacesFile(dir, key, places);
}

function writePlacesFile(dir: string, key: string, places: Places): Promise<void> {
  return new Low<PlacesFile>(new DurableJsonFile(placesPath(dir, key)), places.file()).write();
}

/**
 * The leads of a month file whose search text holds every word (lower case), read from their
 * place in the file; undefined when there is no search file for the month file as it is now.
 */
export async function searchMonthFile(
  dir: string,
  key: string,
  words: string[],
): Promise<{ changeLog: number; leads: unknown[] } | undefined> {
  const found = await readSearchFile(dir, key);
  if (!found) return undefined;
  const hits = found.text.flatMap((t, i) => (words.every((w) => t.includes(w)) ? [i] : []));
  const leads = hits.length === 0 ? [] : await leadsAt(join(dir, `${key}.json`), found, hits);
  return leads && { changeLog: found.snapshot.changeLog, leads };
}

/** How many month files' places a store keeps (each about 12 bytes a lead). */
const PLACES_KEPT = 36;

/**
 * Where each lead of a closed month's file is, taken from its search file once and kept compact
 * (a hash of each id, sorted, beside the lead's byte range), so that looking a lead up by id reads
 * that lead's bytes and nothing else. Kept for the month file as it was then: a file rewritten
 * since (a fold) is looked up in its new search file.
 */
export class MonthPlaces {
  /** By month key, the most recently used last. */
  private readonly kept = new Map<string, Places>();
  /** Reads under way, by month key: lookups in one month at once share one read. */
  private readonly reading = new Map<string, Promise<Places | undefined>>();

  constructor(private readonly dir: string) {}

  /**
   * The lead with this id as the month file holds it, its bytes read alone (none: not in the
   * file); undefined when there is no search file for the month file as it is now.
   */
  async lead(key: string, id: string): Promise<{ changeLog: number; leads: unknown[] } | undefined> {
    const path = join(this.dir, `${key}.json`);
    for (let fresh = false; ; fresh = true) {
      const places = fresh ? undefined : this.kept.get(key);
      if (places) this.keep(key, places); // the most recently used
      const known = places ?? (await this.read(key));
      if (!known) return undefined;
      const wanted = id.toLowerCase();
      const at = known.indexesOf(hashKey(wanted));
      const leads = await readRanges(
        path,
        known.snapshot,
        at.map((i) => [known.starts[i] ?? 0, known.ends[i] ?? 0]),
      );
      // Replaced since these places were taken: once more from its search file as it is now.
      if (!leads) {
        this.kept.delete(key);
        if (fresh) return undefined;
        continue;
      }
      // A place filed under this id's hash holds a lead whose id hashes otherwise: the places are
      // not this file's (a damaged places file). Read the month whole rather than answer "absent".
      if (leads.some((l) => hashKey(l.id.toLowerCase()) !== hashKey(wanted))) return undefined;
      const lead = leads.find((l) => l.id.toLowerCase() === wanted);
      return { changeLog: known.snapshot.changeLog, leads: lead ? [lead] : [] };
    }
  }

  private read(key: string): Promise<Places | undefined> {
    let reading = this.reading.get(key);
    if (!reading) {
      reading = this.readFiles(key).finally(() => this.reading.delete(key));
      this.reading.set(key, reading);
    }
    return reading;
  }

  private async readFiles(key: string): Promise<Places | undefined> {
    let places = await readPlacesFile(this.dir, key);
    if (!places) {
      places = Places.of(await readSearchFile(this.dir, key));
      if (!places) return undefined;
      // A month folded before places files were written (or its file lost): written now, so a
      // restart reads the small file. Derived, so a failure (a full disk) only costs that.
      await writePlacesFile(this.dir, key, places).catch(() => undefined);
    }
    this.keep(key, places);
    return places;
  }

  private keep(key: string, places: Places): void {
    this.kept.delete(key);
    this.kept.set(key, places);
    for (const old of this.kept.keys()) {
      if (this.kept.size <= PLACES_KEPT) break;
      this.kept.delete(old);
    }
  }
}

class Places {
  private constructor(
    readonly snapshot: SearchFile['snapshot'],
    /** The ids' hashes, ascending; starts and ends in the same order. */
    private readonly hashes: Uint32Array,
    readonly starts: Uint32Array,
    readonly ends: Uint32Array,
  ) {}

  /** Undefined for a file too large for 32-bit offsets (read through the search file then). */
  static of(found: SearchFile | undefined): Places | undefined {
    if (!found || found.snapshot.bytes > 0xffffffff) return undefined;
    const { text, starts, ends, snapshot } = found;
    const hashes = text.map((t) => hashKey(t.slice(0, t.indexOf(' '))));
    const order = Array.from(hashes.keys()).sort((a, b) => (hashes[a] ?? 0) - (hashes[b] ?? 0));
    return new Places(
      snapshot,
      Uint32Array.from(order, (i) => hashes[i] ?? 0),
      Uint32Array.from(order, (i) => starts[i] ?? 0),
      Uint32Array.from(order, (i) => ends[i] ?? 0),
    );
  }

  /** Read back from a places file's triples; undefined if they are not what `file()` writes. */
  static decode(snapshot: SearchFile['snapshot'], places: string): Places | undefined {
    const bytes = Buffer.from(places, 'base64');
    if (bytes.length % 12 !== 0) return undefined;
    const count = bytes.length / 12;
    const [hashes, starts, ends] = [new Uint32Array(count), new Uint32Array(count), new Uint32Array(count)];
    for (let i = 0; i < count; i++) {
      hashes[i] = bytes.readUInt32LE(i * 12);
      starts[i] = bytes.readUInt32LE(i * 12 + 4);
      ends[i] = bytes.readUInt32LE(i * 12 + 8);
      if ((i > 0 && (hashes[i] ?? 0) < (hashes[i - 1] ?? 0)) || (ends[i] ?? 0) <= (starts[i] ?? 0))
        return undefined;
    }
    return new Places(snapshot, hashes, starts, ends);
  }

  /** What a places file holds of them. */
  file(): PlacesFile {
    const bytes = Buffer.alloc(this.hashes.length * 12);
    for (let i = 0; i < this.hashes.length; i++) {
      bytes.writeUInt32LE(this.hashes[i] ?? 0, i * 12);
      bytes.writeUInt32LE(this.starts[i] ?? 0, i * 12 + 4);
      bytes.writeUInt32LE(this.ends[i] ?? 0, i * 12 + 8);
    }
    return { format: 1, snapshot: this.snapshot, places: bytes.toString('base64') };
  }

  /** The places whose id has this hash (almost always one, or none). */
  indexesOf(hash: number): number[] {
    const found: number[] = [];
    for (let i = firstAtLeast(this.hashes, hash); this.hashes[i] === hash; i++) found.push(i);
    return found;
  }
}

/**
 * The leads in these byte ranges of the month file (each must parse to a lead); undefined if the
 * file is gone, unreadable, or not the file `snapshot` describes (replaced meanwhile): the caller
 * then reads the month the usual way, which says what is wrong.
 */
async function readRanges(
  path: string,
  snapshot: SearchFile['snapshot'],
  ranges: Array<[number, number]>,
): Promise<Array<{ id: string }> | undefined> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return undefined;
  try {
    if (!fits(snapshot, await file.stat())) return undefined;
    // Many: the file in one read (bytes, not decoded); a few: each lead's bytes alone.
    const whole = ranges.length > 64 ? await file.readFile() : undefined;
    const leads: Array<{ id: string }> = [];
    for (const [start, end] of ranges) {
      let bytes = whole?.subarray(start, end);
      if (!bytes) {
        bytes = Buffer.alloc(end - start);
        await file.read(bytes, 0, bytes.length, start);
      }
      const lead = JSON.parse(bytes.toString('utf8')) as { id?: unknown };
      if (typeof lead.id !== 'string') return undefined;
      leads.push(lead as { id: string });
    }
    return leads;
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

/** The leads at these places of the month file; undefined if it is not the file `found` describes. */
async function leadsAt(path: string, found: SearchFile, hits: number[]): Promise<unknown[] | undefined> {
  const { snapshot, text, starts, ends } = found;
  const leads = await readRanges(
    path,
    snapshot,
    hits.map((i) => [starts[i] ?? 0, ends[i] ?? 0]),
  );
  // Each lead found where the search file says, or the file is not what it describes.
  return leads?.every((lead, k) => text[hits[k] ?? -1]?.startsWith(`${lead.id.toLowerCase()} `))
    ? leads
    : undefined;
}

function placesPath(dir: string, key: string): string {
  return join(dir, `${key}.places.json`);
}

/** The month's places from its places file, if that was written for the month file as it is now. */
async function readPlacesFile(dir: string, key: string): Promise<Places | undefined> {
  try {
    const db = new Low<Partial<PlacesFile>>(new DurableJsonFile(placesPath(dir, key)), {});
    await db.read();
    const { format, snapshot, places } = db.data;
    if (format !== 1 || !snapshot || !Number.isInteger(snapshot.changeLog) || typeof places !== 'string')
      return undefined;
    if (!fits(snapshot, await stat(join(dir, `${key}.json`)))) return undefined;
    return Places.decode(snapshot, places);
  } catch {
    return undefined;
  }
}

function fits(
  snapshot: SearchFile['snapshot'],
  file: { size: number; mtimeMs: number; ino: number },
): boolean {
  return snapshot.bytes === file.size && snapshot.mtimeMs === file.mtimeMs && snapshot.ino === file.ino;
}

async function readSearchFile(dir: string, key: string): Promise<SearchFile | undefined> {
  try {
    const db = new Low<Partial<SearchFile>>(new DurableJsonFile(join(dir, `${key}.search.json`)), {});
    await db.read();
    const { format, snapshot, text, starts, ends } = db.data;
    const file = await stat(join(dir, `${key}.json`));
    const usable =
      format === 1 &&
      snapshot !== undefined &&
      fits(snapshot, file) &&
      Array.isArray(text) &&
      Array.isArray(starts) &&
      Array.isArray(ends) &&
      starts.length === text.length &&
      ends.length === text.length;
    return usable ? (db.data as SearchFile) : undefined;
  } catch {
    return undefined;
  }
}
