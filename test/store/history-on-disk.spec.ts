import assert from 'node:assert/strict';
import {
  appendFile,
  open as openFile,
  readdir,
  readFile,
  stat,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError, StorageError, StorageUnavailableError } from '../../src/errors.js';
import { createOnce } from '../../src/leads/intake.js';
import type { IncomingLead, Lead } from '../../src/leads/lead.js';
import { dayInZone, safeDay } from '../../src/leads/rollup-book.js';
import { rollupOf } from '../../src/leads/rollups.js';
import type { Logger } from '../../src/log.js';
import type { LogFile, OpenLogFile } from '../../src/store/change-log.js';
import { hashKey } from '../../src/store/lowdb/hashed-ids.js';
import type { LowdbStore, StoreOptions } from '../../src/store/lowdb-store.js';
import { FaultyDisk } from '../fakes/faulty-disk.js';
import { makeIncoming, storedLead } from '../fakes/lead-factory.js';
import { normalCells } from '../fakes/rollup-cells.js';
import { useStoreFolder } from '../fakes/store-folder.js';

// "Now" is 3 December 2026: December and November stay in memory, older months are read on demand.
const NOW = Date.parse('2026-12-03T12:00:00Z');
const HOT = ['2026-11', '2026-12'];

/** A lead received in `month` (YYYY-MM), closed (won) unless `status` says otherwise. */
function leadIn(month: string, n: number, status: Lead['status'] = 'won'): Lead {
  return { ...storedLead(makeIncoming(n)), receivedAt: `${month}-10T09:00:00.000Z`, status };
}

describe('The embedded store keeps closed months on disk', () => {
  const folder = useStoreFolder('history-on-disk-');
  const open = (options: StoreOptions = {}) => folder.open({ now: () => NOW, cachedMonths: 1, ...options });

  /**
   * Brings the month of `lead` into memory, as any change to one of its leads does: here a change
   * that no longer applies (an owner's notice for a version it never had), so nothing is written.
   */
  const bringIn = (store: LowdbStore, lead: Lead) => store.updateOwnerNotice(lead.id, -1, { state: 'told' });

  /** A store whose history has leads in May, June and July, then reopened: as after a restart. */
  async function withHistory(options: StoreOptions = {}) {
    const first = await open(options);
    const may = await first.createLead(leadIn('2026-05', 1));
    const june = await first.createLead(leadIn('2026-06', 2));
    const juneOpen = await first.createLead(leadIn('2026-06', 3, 'assigned'));
    const july = await first.createLead(leadIn('2026-07', 4, 'lost'));
    const november = await first.createLead(leadIn('2026-11', 6));
    const december = await first.createLead(leadIn('2026-12', 5, 'new'));
    await first.close();
    const store = await open(options);
    return { store, may, june, juneOpen, july, november, december };
  }

  it('holds only this month and the last after a start, and reads an old lead alone from its month file when asked', async () => {
    const { store, june, juneOpen } = await withHistory();
    assert.deepEqual(store.monthsInMemory(), HOT);
    assert.equal((await store.stats()).leads, 6, 'every lead is known by its id');
    assert.deepEqual(await store.getLead(june.id), june);
    assert.deepEqual(store.monthsInMemory(), HOT, 'June was not brought into memory for one lead');
    await bringIn(store, june);
    assert.deepEqual(store.monthsInMemory(), ['2026-06', ...HOT]);
    assert.deepEqual(
      (await store.listOpenLeads()).map((l) => l.id).sort(),
      [juneOpen.id, (await store.listLeads()).at(-1)?.id].sort(),
      'an open lead of an old month is in memory all along',
    );
  });

  it('lets go of the least recently read month beyond its bound, and reads it again later', async () => {
    const { store, may, june, july } = await withHistory();
    await bringIn(store, may);
    await bringIn(store, june);
    assert.deepEqual(store.monthsInMemory(), ['2026-06', ...HOT], 'May left memory (bound: one month)');
    assert.deepEqual(await bringIn(store, may), may);
    assert.deepEqual(await bringIn(store, july), july);
    assert.deepEqual(store.monthsInMemory(), ['2026-07', ...HOT]);
  });

  it('changes a lead of a month on disk only with one append to that month, and reads it back after eviction and restart', async () => {
    const { store, may, june } = await withHistory();
    assert.ok(!store.monthsInMemory().includes('2026-06'));
    const saved = await store.saveLead({ ...june, description: 'asked again' }, june.version);
    assert.equal(saved.version, june.version + 1);
    await bringIn(store, may); // June leaves memory
    assert.ok(!store.monthsInMemory().includes('2026-06'));
    assert.deepEqual(await store.getLead(june.id), saved, 'read alone: the file, then its log');
    assert.deepEqual(await bringIn(store, june), saved, 'read whole');
    const files = await readdir(join(folder.dir, 'leads'));
    const juneLog = files.filter((f) => f.startsWith('2026-06.changes.'));
    assert.equal(juneLog.length, 1, `one June log: ${files}`);
    const lines = (await readFile(join(folder.dir, 'leads', juneLog[0] as string), 'utf8'))
      .trim()
      .split('\n');
    assert.equal((JSON.parse(lines.at(-1) as string) as Lead).description, 'asked again');
    await folder.crash(); // kill -9: nothing folded, the log is replayed
    const again = await open();
    assert.deepEqual(await again.getLead(june.id), saved);
  });

  it('changes an open lead of a closed month (held in memory, its month not), and the change is on disk', async () => {
    const { store, juneOpen } = await withHistory();
    assert.ok(!store.monthsInMemory().includes('2026-06'));
    const claimed = await store.saveLead({ ...juneOpen, status: 'qualified' }, juneOpen.version);
    const posted = await store.updateDelivery(juneOpen.id, '19:c@thread.tacv2', {
      state: 'posted',
      activityId: 'a-1',
    });
    assert.equal(posted.version, claimed.version);
    await folder.crash();
    const reopened = await open();
    const stored = await reopened.getLead(juneOpen.id);
    assert.equal(stored?.status, 'qualified');
    assert.equal(stored?.deliveries[0]?.activityId, 'a-1');
  });

  it('lets one of two concurrent saves of an old lead win, from the version read, and refuses the other', async () => {
    const { store, june } = await withHistory();
    assert.ok(!store.monthsInMemory().includes('2026-06'));
    const results = await Promise.allSettled([
      store.saveLead({ ...june, description: 'first' }, june.version),
      store.saveLead({ ...june, description: 'second' }, june.version),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected'],
    );
    assert.ok((results[1] as PromiseRejectedResult).reason instanceof ConflictError);
    const reopened = await open();
    const stored = await reopened.getLead(june.id);
    assert.equal(stored?.description, 'first');
    assert.equal(stored?.version, june.version + 1);
  });

  it('knows a payload, an id and an e-mail of a month on disk only', async () => {
    const { store, june } = await withHistory();
    const again = await createOnce(store, makeIncoming(2), (incoming: IncomingLead) => ({
      ...storedLead(incoming),
      receivedAt: '2026-12-02T10:00:00.000Z',
    }));
    assert.equal(again.created, false, 'a re-delivered old payload is a duplicate');
    assert.equal(again.lead.id, june.id);
    await bringIn(store, (await store.listLeads())[0] as Lead); // June leaves memory again
    await assert.rejects(store.createLead({ ...leadIn('2026-12', 9), id: june.id }), ConflictError);
    assert.deepEqual(
      (await store.findByEmail('ANN2@example.com')).map((l) => l.id),
      [june.id],
    );
    assert.equal((await store.findByFingerprint(june.fingerprint))?.id, june.id);
  });

  /**
   * Damages a closed month where its index and search files cannot see it (same size, same file,
   * same time): reading the month whole fails from then on, reading one of its leads alone does not.
   */
  async function damageUnseen(month: string): Promise<void> {
    const leads = join(folder.dir, 'leads');
    const file = join(leads, `${month}.json`);
    const stamp = new Date('2026-09-01T00:00:00Z'); // a time the test can put back after its edit
    await utimes(file, stamp, stamp);
    await unlink(join(leads, `${month}.index.json`));
    await (await open()).close(); // its index and search files written for the file as it is
    const handle = await openFile(file, 'r+');
    await handle.write('X', 0);
    await handle.close();
    await utimes(file, stamp, stamp);
  }

  it('draws another id when a new lead’s id is taken in a month on disk, without reading that month', async () => {
    const { store, june } = await withHistory();
    await store.close();
    await damageUnseen('2026-06');
    const reopened = await open();
    const ids = [june.id, 'L-ZZZZZ'];
    const created = await createOnce(reopened, makeIncoming(40), (incoming: IncomingLead) => ({
      ...storedLead(incoming),
      id: ids.shift() ?? 'L-YYYYY',
      receivedAt: '2026-12-02T10:00:00.000Z',
    }));
    assert.deepEqual([created.lead.id, created.created], ['L-ZZZZZ', true]);
    assert.deepEqual(reopened.monthsInMemory(), HOT, 'June was not read');
    await assert.rejects(bringIn(reopened, june), StorageError);
  });

  it('checks a payload and an e-mail against a month on disk by reading the lead alone, even one that only shares a hash', async () => {
    // Two payloads whose fingerprints share the index's 30-bit hash (a birthday search finds one).
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const fingerprint = `fp-hash-${i}`;
      const other = seen.get(hashKey(fingerprint));
      if (other) pair = [other, fingerprint];
      else seen.set(hashKey(fingerprint), fingerprint);
    }
    const [held, sharing] = pair;
    const first = await open();
    const june = await first.createLead({ ...leadIn('2026-06', 2), fingerprint: held });
    await first.createLead(leadIn('2026-12', 5, 'new'));
    await first.close();
    await damageUnseen('2026-06');
    const store = await open();
    const stored = await store.createLead({ ...leadIn('2026-12', 41), fingerprint: sharing });
    assert.equal(stored.fingerprint, sharing, 'a payload that only shares the hash is new');
    await assert.rejects(
      store.createLead({ ...leadIn('2026-12', 42), fingerprint: held }),
      (error: unknown) => {
        assert.ok(error instanceof ConflictError);
        assert.equal((error.current as Lead).id, june.id, 'the payload June holds is known');
        return true;
      },
    );
    assert.equal((await store.findByFingerprint(held))?.id, june.id);
    assert.equal(await store.findByFingerprint(sharing).then((l) => l?.id), stored.id);
    assert.deepEqual(
      (await store.findByEmail(june.customer.email)).map((l) => l.id),
      [june.id],
    );
    assert.deepEqual(store.monthsInMemory(), ['2026-12'], 'June was not read whole');
    await assert.rejects(bringIn(store, june), StorageError, 'as it would have failed');
  });

  it('says a closed month file deleted under it is missing, and stores nothing meanwhile', async () => {
    const { store, june } = await withHistory();
    await unlink(join(folder.dir, 'leads', '2026-06.json'));
    await assert.rejects(store.getLead(june.id), /2026-06\.json is missing.*Restore it from your backup/);
    await assert.rejects(store.findByEmail(june.customer.email), StorageError);
    const before = (await store.stats()).leads;
    await assert.rejects(
      store.createLead({ ...leadIn('2026-12', 2) }),
      StorageError,
      'its payload may be June’s',
    );
    assert.equal((await store.stats()).leads, before);
  });

  it('folds a month that closes while the store runs before it leaves memory, so its leads can be read alone', async () => {
    let now = NOW;
    const clocked = () => folder.open({ now: () => now, cachedMonths: 1 });
    const first = await clocked();
    const june = await first.createLead(leadIn('2026-06', 2));
    const november = await first.createLead(leadIn('2026-11', 6));
    await first.close(); // November is last month: folded without an index file
    const leads = join(folder.dir, 'leads');
    assert.ok(!(await readdir(leads)).includes('2026-11.index.json'));
    const store = await clocked();
    now = Date.parse('2027-01-15T12:00:00Z'); // a new month began: November is closed now
    await bringIn(store, june); // two closed months in memory, one too many: November is folded
    await store.close();
    const files = await readdir(leads);
    assert.ok(files.includes('2026-11.index.json') && files.includes('2026-11.search.json'), `${files}`);
    const reopened = await clocked();
    assert.deepEqual(await reopened.getLead(november.id), november);
    assert.ok(!reopened.monthsInMemory().includes('2026-11'), 'read alone');
  });

  it('walks every month for lists and searches without keeping the old ones in memory', async () => {
    const { store, may, june, juneOpen, july, november, december } = await withHistory();
    assert.deepEqual(
      (await store.listLeads()).map((l) => l.id),
      [may, june, juneOpen, july, november, december].map((l) => l.id),
    );
    assert.deepEqual(
      (await store.listClosedLeads()).map((l) => l.id),
      [may, june, july, november].map((l) => l.id),
    );
    assert.deepEqual(
      (await store.listLeadsReceived(new Date('2026-06-01'), new Date('2026-07-01'))).map((l) => l.id),
      [june.id, juneOpen.id],
    );
    assert.equal((await store.searchLeads('ann4')).length, 1);
    assert.deepEqual(store.monthsInMemory(), HOT);
  });

  it('keeps a month in memory while a change to it is on its way, so a second save from the same version is refused', async () => {
    const disk = new SlowDisk();
    const { store, may, june } = await withHistory({ openLog: disk.openLog });
    const entered = disk.holdNext();
    const first = store.saveLead({ ...june, description: 'first' }, june.version);
    const release = await entered; // the append is under way, nothing of it on disk yet
    await bringIn(store, may); // another old month read: June must not leave memory now
    assert.ok(store.monthsInMemory().includes('2026-06'));
    const second = store.saveLead({ ...june, description: 'second' }, june.version).catch((e: unknown) => e);
    release();
    assert.equal((await first).description, 'first');
    assert.ok((await second) instanceof ConflictError);
    const reopened = await open();
    assert.equal((await reopened.getLead(june.id))?.description, 'first');
  });

  it('finds words in months on disk only, in any letter case, with their latest changes, even in a file edited by hand', async () => {
    const { store, may, june, juneOpen, july, november, december } = await withHistory();
    const renamed = await store.saveLead(
      { ...june, customer: { ...june.customer, company: 'Northwind' } },
      1,
    );
    await bringIn(store, may); // June (its change in its log only) leaves memory
    await store.close();
    // July re-written by hand, all on one line: still a month file, laid out otherwise.
    const julyFile = join(folder.dir, 'leads', '2026-07.json');
    await writeFile(julyFile, JSON.stringify(JSON.parse(await readFile(julyFile, 'utf8'))));
    const customer = { ...makeIncoming(8).customer, firstName: 'José', company: 'Ǆemal Ltd' };
    const seeded = await open();
    const accented = await seeded.createLead({ ...leadIn('2026-04', 8), customer });
    await seeded.close();
    const reopened = await open();
    assert.deepEqual(reopened.monthsInMemory(), HOT);
    const ids = async (text: string) => (await reopened.searchLeads(text)).map((l) => l.id);
    assert.deepEqual(await ids('NORTHWIND'), [renamed.id]);
    assert.deepEqual(
      await ids('contoso lee'),
      [december, november, july, juneOpen, may].map((l) => l.id),
      'June’s lead is known by its new company; the month edited by hand is read whole',
    );
    assert.deepEqual(await ids('josé ǆemal'), [accented.id]);
    assert.deepEqual(await ids(june.id.toLowerCase()), [june.id]);
    assert.deepEqual(reopened.monthsInMemory(), HOT);
    assert.deepEqual(await reopened.getLead(july.id), july, 'a month laid out otherwise is read whole');
  });

  it('starts from a closed month’s index file, reading the month itself only when it is needed whole', async () => {
    const { store, may } = await withHistory();
    await store.close();
    const leads = join(folder.dir, 'leads');
    const mayFile = join(leads, '2026-05.json');
    const stamp = new Date('2026-06-01T00:00:00Z'); // a time the test can put back after its edit
    await utimes(mayFile, stamp, stamp);
    await unlink(join(leads, '2026-05.index.json'));
    await (await open()).close(); // May parsed once more, its index written for the file as it is
    assert.ok((await readdir(leads)).includes('2026-05.index.json'));
    // Damaged where the index cannot see it: same size, same file, same time.
    const file = await openFile(mayFile, 'r+');
    await file.write('X', 0);
    await file.close();
    await utimes(mayFile, stamp, stamp);
    const reopened = await open();
    assert.equal((await reopened.stats()).leads, 6, 'started without parsing May');
    assert.deepEqual(await reopened.getLead(may.id), may, 'its own bytes, where the search file says');
    await assert.rejects(bringIn(reopened, may), StorageError, 'the month read whole meets the damage');
    assert.equal((await reopened.findByEmail('ann2@example.com')).length, 1, 'the other months answer');
  });

  it('summarizes closed months from the cells their index files keep, reading a month only when it changed since', async () => {
    const zone = 'Europe/Lisbon';
    const { store, may, june } = await withHistory({ timeZone: zone });
    const all = (s: LowdbStore, tz = zone) => s.rollupCells('2026-01-01', '2026-12-31', tz);
    const expected = async (s: LowdbStore, tz = zone) =>
      normalCells([...rollupOf(await s.listLeads(), safeDay(dayInZone(tz))).values()]);
    assert.deepEqual(normalCells(await all(store)), await expected(store));
    await store.close();
    // May damaged where its index cannot see it: a start that read May for its rollups would fail.
    const mayFile = join(folder.dir, 'leads', '2026-05.json');
    const stamp = new Date('2026-06-01T00:00:00Z'); // a time the test can put back after its edit
    await utimes(mayFile, stamp, stamp);
    await unlink(join(folder.dir, 'leads', '2026-05.index.json'));
    await (await open({ timeZone: zone })).close(); // May's index written for the file as it is
    const file = await openFile(mayFile, 'r+');
    await file.write('X', 0);
    await file.close();
    await utimes(mayFile, stamp, stamp);
    const damaged = await open({ timeZone: zone });
    const mayCells = (await all(damaged)).filter((c) => c.day.startsWith('2026-05'));
    assert.deepEqual(
      mayCells.map((c) => c.received),
      [1],
      'May counted from its index file, its month file not read',
    );
    await assert.rejects(bringIn(damaged, may), StorageError);
    await damaged.close();
    await writeFile(mayFile, `{${(await readFile(mayFile, 'utf8')).slice(1)}`); // mended by hand

    // June changed, then the process killed before the change was folded into June's file.
    const changed = await open({ timeZone: zone });
    const lost = { at: '2026-06-12T09:00:00.000Z', by: { aadObjectId: 'a', name: 'A' }, action: 'lost' };
    await changed.saveLead(
      { ...june, status: 'lost', history: [{ ...lost, from: 'won', to: 'lost' }] },
      june.version,
    );
    await folder.crash();
    const restarted = await open({ timeZone: zone });
    const juneCells = (await all(restarted)).filter((c) => c.day.startsWith('2026-06'));
    assert.deepEqual(
      juneCells.map((c) => [c.received, c.funnel.lost]),
      [[2, 1]],
      'June read again: its change log holds what its index file does not',
    );
    assert.deepEqual(normalCells(await all(restarted)), await expected(restarted));
    await restarted.close();

    // Another time zone: each closed month is read once and its index file kept in that zone.
    const kathmandu = 'Asia/Kathmandu';
    const moved = await open({ timeZone: kathmandu });
    assert.deepEqual(normalCells(await all(moved, kathmandu)), await expected(moved, kathmandu));
    await moved.close();
    const index = JSON.parse(await readFile(join(folder.dir, 'leads', '2026-07.index.json'), 'utf8'));
    assert.equal(index.summary.rollups.timeZone, kathmandu);
  });

  it('parses a month file edited by hand at start, and writes its index again, instead of trusting the old one', async () => {
    const { store, june } = await withHistory();
    await store.close();
    const juneFile = join(folder.dir, 'leads', '2026-06.json');
    const text = await readFile(juneFile, 'utf8');
    await writeFile(juneFile, text.replace('ann2@example.com', 'ann.two@example.org'));
    const reopened = await open();
    assert.deepEqual(
      (await reopened.findByEmail('ann.two@example.org')).map((l) => l.id),
      [june.id],
    );
    assert.deepEqual(await reopened.findByEmail('ann2@example.com'), []);
    const index = JSON.parse(await readFile(join(folder.dir, 'leads', '2026-06.index.json'), 'utf8'));
    assert.equal(index.snapshot.bytes, (await stat(juneFile)).size, 'written for the edited file');
  });

  it('parses the closed months again at start when the lead-event endpoints changed since their index files', async () => {
    const first = await open();
    const worked: Lead = {
      ...leadIn('2026-06', 7),
      history: [{ at: '2026-06-11T09:00:00.000Z', by: { aadObjectId: 'a', name: 'A' }, action: 'won' }],
      // Its card posted and current: nothing but the events would make memory hold it.
      deliveries: [
        { teamId: 't', conversationId: '19:c@thread.tacv2', state: 'posted', activityId: 'm', attempts: 1 },
      ],
    };
    await first.createLead(worked);
    await first.close(); // June's index file: made for no endpoint, so it keeps no lead whole
    const second = await open();
    await second.putEventEndpoint({ key: 'crm', since: '2026-01-01T00:00:00.000Z' });
    assert.deepEqual(
      (await second.listOwedEvents('crm', 10)).map((l) => l.id),
      [worked.id],
    );
    await second.close();
    const reopened = await open();
    assert.deepEqual(
      (await reopened.listOwedEvents('crm', 10)).map((l) => l.id),
      [worked.id],
      'June read again for the new endpoint, not taken from its old index',
    );
  });

  it('ignores a damaged index file, parses its month and writes the index again', async () => {
    const { store, june } = await withHistory();
    await store.close();
    const index = join(folder.dir, 'leads', '2026-06.index.json');
    await writeFile(index, '{"format": 1, "snapsh');
    const reopened = await open();
    assert.equal((await reopened.findByFingerprint(june.fingerprint))?.id, june.id);
    assert.equal((await reopened.stats()).leads, 6);
    assert.equal((JSON.parse(await readFile(index, 'utf8')) as { format: number }).format, 1);
  });

  it('refuses an index file whose hashes are not hashes (parses the month instead), so no payload goes unseen', async () => {
    const first = await open();
    // Closed and its card posted: nothing of it is kept in memory, only its month's hashes.
    const settled: Lead = {
      ...leadIn('2026-06', 7),
      deliveries: [{ teamId: 't', conversationId: '19:c@thread.tacv2', state: 'posted', attempts: 1 }],
    };
    const june = await first.createLead(settled);
    await first.createLead(leadIn('2026-12', 8, 'new'));
    await first.close();
    const index = join(folder.dir, 'leads', '2026-06.index.json');
    const file = JSON.parse(await readFile(index, 'utf8'));
    const summary = file.summary as { fingerprints: unknown[]; emails: unknown[] };
    summary.fingerprints = summary.fingerprints.map(() => 'fp'); // edited by hand: not numbers
    summary.emails = summary.emails.map(() => 2 ** 31); // and out of range
    await writeFile(index, JSON.stringify(file));
    const reopened = await open();
    assert.equal((await reopened.findByFingerprint(june.fingerprint))?.id, june.id);
    assert.deepEqual(
      (await reopened.findByEmail(june.customer.email)).map((l) => l.id),
      [june.id],
    );
    assert.equal((await reopened.stats()).leads, 2);
  });

  it('starts from an index file whose kept leads are not leads by parsing its month, not by stopping', async () => {
    const { store, juneOpen } = await withHistory();
    await store.close();
    const index = join(folder.dir, 'leads', '2026-06.index.json');
    const file = JSON.parse(await readFile(index, 'utf8'));
    (file.summary as { kept: unknown[] }).kept = [null];
    await writeFile(index, JSON.stringify(file));
    const reopened = await open();
    assert.deepEqual(
      (await reopened.listOpenLeads()).map((l) => l.id).includes(juneOpen.id),
      true,
      'the open lead of June, from June parsed',
    );
    assert.equal((await reopened.stats()).leads, 6);
  });

  it('takes back a refused change to an old lead, and the month read again shows what the disk holds', async () => {
    const disk = new FaultyDisk();
    const { store, may, june } = await withHistory({ openLog: disk.openLog });
    disk.faults.push('enospc');
    await assert.rejects(
      store.saveLead({ ...june, description: 'lost' }, june.version),
      StorageUnavailableError,
    );
    assert.deepEqual(await store.getLead(june.id), june);
    await bringIn(store, may); // June leaves memory; read again from disk
    assert.deepEqual(await store.getLead(june.id), june);
    assert.equal(
      (await store.saveLead({ ...june, description: 'kept' }, june.version)).version,
      june.version + 1,
    );
  });

  it('cuts a torn last line off an old month’s log at start, and reads that month right later', async () => {
    const lines: string[] = [];
    const log: Logger = { info: () => undefined, error: () => undefined, warn: (m) => lines.push(m) };
    const { store, june } = await withHistory();
    const saved = await store.saveLead({ ...june, description: 'before the crash' }, june.version);
    await folder.crash();
    const leads = join(folder.dir, 'leads');
    const juneLog = (await readdir(leads)).find((f) => f.startsWith('2026-06.changes.')) as string;
    await appendFile(join(leads, juneLog), `{"id":"${june.id}","descr`);
    const reopened = await open({ log });
    assert.ok(lines.some((line) => line.includes('cut off a half-written change')));
    assert.ok(!reopened.monthsInMemory().includes('2026-06'));
    assert.deepEqual(await reopened.getLead(june.id), saved);
  });
});

/** A disk whose next append waits until the test lets it go on (then succeeds): a slow fsync. */
class SlowDisk {
  private gate: { entered: (release: () => void) => void } | undefined;

  /** Resolves, once the held append has started, with the function that lets it finish. */
  holdNext(): Promise<() => void> {
    return new Promise((entered) => {
      this.gate = { entered };
    });
  }

  readonly openLog: OpenLogFile = async (path) => {
    const file = await openFile(path, 'a');
    return {
      write: async (buffer: Buffer, offset?: number, length?: number) => {
        const gate = this.gate;
        this.gate = undefined;
        if (gate) await new Promise<void>((release) => gate.entered(release));
        return file.write(buffer, offset, length);
      },
      sync: () => file.sync(),
      truncate: (length?: number) => file.truncate(length),
      stat: () => file.stat(),
      close: () => file.close(),
    } as unknown as LogFile;
  };
}
