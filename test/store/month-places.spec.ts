// Looking a lead of a closed month up by id: its place is taken from the month's search file once,
// then each lookup reads that lead's bytes alone; a month file rewritten since (a fold) is looked
// up in its new search file, never at the old places.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Lead } from '../../src/leads/lead.js';
import { DurableJsonFile } from '../../src/store/durable-json-file.js';
import { MonthPlaces, writeSearchFile } from '../../src/store/month-search.js';
import { makeIncoming, storedLead } from '../fakes/lead-factory.js';

const KEY = '2026-06';

describe('A closed month’s leads looked up by id', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'month-places-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** The month file as the store writes it (through lowdb, indented), and its search file. */
  async function writeMonth(leads: Lead[], changeLog: number): Promise<void> {
    await new Low<{ changeLog: number; logCreated: boolean; leads: Lead[] }>(
      new DurableJsonFile(join(dir, `${KEY}.json`)),
      {
        changeLog,
        logCreated: true,
        leads,
      },
    ).write();
    await writeSearchFile(dir, KEY, changeLog, leads);
  }

  const lead = (n: number, description = ''): Lead => ({
    ...storedLead(makeIncoming(n)),
    id: `L-${String(n).padStart(5, '0')}`,
    receivedAt: `${KEY}-10T09:00:00.000Z`,
    description,
  });

  it('reads each lead alone at its place, in any letter case, and says when the month does not hold it', async () => {
    const leads = Array.from({ length: 300 }, (_, n) => lead(n));
    await writeMonth(leads, 4);
    const places = new MonthPlaces(dir);
    for (const n of [0, 17, 299]) {
      const found = await places.lead(KEY, `l-${String(n).padStart(5, '0')}`);
      assert.deepEqual(found, { changeLog: 4, leads: [leads[n]] });
    }
    assert.deepEqual(await places.lead(KEY, 'L-99999'), { changeLog: 4, leads: [] });
  });

  it('follows a month file rewritten after its places were taken (a fold moved every lead)', async () => {
    const leads = Array.from({ length: 20 }, (_, n) => lead(n));
    await writeMonth(leads, 1);
    const places = new MonthPlaces(dir);
    assert.deepEqual((await places.lead(KEY, 'L-00010'))?.leads, [leads[10]]); // places taken
    // A fold wrote the month again: the first lead grew, so every later lead moved.
    const folded = [lead(0, 'x'.repeat(5000)), ...leads.slice(1)];
    await writeMonth(folded, 2);
    assert.deepEqual(await places.lead(KEY, 'L-00010'), { changeLog: 2, leads: [folded[10]] });
    assert.deepEqual(await places.lead(KEY, 'L-00000'), { changeLog: 2, leads: [folded[0]] });
  });

  it('takes the places from the small places file, and from the search file when that one is damaged or gone', async () => {
    const leads = Array.from({ length: 50 }, (_, n) => lead(n));
    await writeMonth(leads, 3);
    const search = join(dir, `${KEY}.search.json`);
    const placesFile = join(dir, `${KEY}.places.json`);
    const kept = await readFile(search);
    assert.ok((await stat(placesFile)).size < kept.length / 2, 'smaller than the search file');
    await rm(search); // the places file alone is enough
    assert.deepEqual(await new MonthPlaces(dir).lead(KEY, 'L-00042'), { changeLog: 3, leads: [leads[42]] });
    await writeFile(search, kept);
    const file = JSON.parse(await readFile(placesFile, 'utf8'));
    for (const damage of [
      { ...file, places: file.places.slice(0, -8) }, // cut short
      { ...file, places: Buffer.alloc(12 * 50, 7).toString('base64') }, // not sorted, empty ranges
      { ...file, format: 2 },
    ]) {
      await writeFile(placesFile, JSON.stringify(damage));
      assert.deepEqual(await new MonthPlaces(dir).lead(KEY, 'L-00042'), { changeLog: 3, leads: [leads[42]] });
    }
    await writeFile(placesFile, '{"format": 1, "snap');
    assert.deepEqual(await new MonthPlaces(dir).lead(KEY, 'L-00007'), { changeLog: 3, leads: [leads[7]] });
    await rm(search); // the damaged places file was written again from the search file
    assert.deepEqual(await new MonthPlaces(dir).lead(KEY, 'L-00008'), { changeLog: 3, leads: [leads[8]] });
  });

  it('never says a lead is absent because a places file points at another lead: it reads the month whole', async () => {
    const leads = Array.from({ length: 10 }, (_, n) => lead(n));
    await writeMonth(leads, 1);
    const placesFile = join(dir, `${KEY}.places.json`);
    const file = JSON.parse(await readFile(placesFile, 'utf8'));
    const bytes = Buffer.from(file.places, 'base64');
    // Well formed (sorted hashes, real ranges) but the first two ranges swapped: wrong leads.
    const first = Buffer.from(bytes.subarray(4, 12));
    bytes.copy(bytes, 4, 16, 24);
    first.copy(bytes, 16);
    await writeFile(placesFile, JSON.stringify({ ...file, places: bytes.toString('base64') }));
    await rm(join(dir, `${KEY}.search.json`)); // nothing to fall back on: the caller reads the month
    const places = new MonthPlaces(dir);
    const looked = await Promise.all(leads.map((l) => places.lead(KEY, l.id)));
    assert.equal(looked.filter((l) => l === undefined).length, 2, 'the two misplaced: read whole');
    assert.ok(
      looked.every((l) => l === undefined || l.leads.length === 1),
      'none said absent',
    );
  });

  it('answers fifty lookups in one month at once, and leaves one whole places file behind', async () => {
    const leads = Array.from({ length: 400 }, (_, n) => lead(n));
    await writeMonth(leads, 2);
    await rm(join(dir, `${KEY}.places.json`)); // a month folded by a version without places files
    const places = new MonthPlaces(dir);
    const found = await Promise.all(
      Array.from({ length: 50 }, (_, k) => places.lead(KEY, `L-${String(k * 8).padStart(5, '0')}`)),
    );
    assert.deepEqual(
      found.map((f) => f?.leads[0]),
      Array.from({ length: 50 }, (_, k) => leads[k * 8]),
    );
    await rm(join(dir, `${KEY}.search.json`));
    assert.deepEqual(await new MonthPlaces(dir).lead(KEY, 'L-00399'), { changeLog: 2, leads: [leads[399]] });
  });

  it('answers nothing (read the month whole) when the month file changed and its search file did not follow', async () => {
    const leads = Array.from({ length: 5 }, (_, n) => lead(n));
    await writeMonth(leads, 1);
    const places = new MonthPlaces(dir);
    assert.ok((await places.lead(KEY, 'L-00003'))?.leads.length);
    await writeFile(
      join(dir, `${KEY}.json`),
      `${JSON.stringify({ changeLog: 1, logCreated: true, leads })}\n`,
    );
    assert.equal(await places.lead(KEY, 'L-00003'), undefined);
  });
});
