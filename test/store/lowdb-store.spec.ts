import assert from 'node:assert/strict';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError, StorageError } from '../../src/errors.js';
import { createOnce } from '../../src/leads/intake.js';
import type { IncomingLead, Lead } from '../../src/leads/lead.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { makeIncoming, storedLead } from '../fakes/lead-factory.js';
import { useStoreFolder } from '../fakes/store-folder.js';

const incoming = makeIncoming;

const build = storedLead;

describe('LowdbStore', () => {
  const folder = useStoreFolder('lead-store-');
  const { open, crash } = folder;

  it('keeps leads across a restart, and knows a re-delivered payload', async () => {
    const store = await open();
    const first = await createOnce(store, incoming(1), build);
    assert.equal(first.created, true);
    await store.close();

    const reopened = await open();
    assert.deepEqual(await reopened.getLead(first.lead.id), first.lead);
    const again = await createOnce(reopened, incoming(1), build);
    assert.equal(again.created, false);
    assert.equal(again.lead.id, first.lead.id);
    assert.equal((await reopened.stats()).leads, 1);
  });

  it('stores every lead of a concurrent burst durably, in a few appends', async () => {
    const store = await open();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, n) => createOnce(store, incoming(n), build)),
    );
    assert.equal(new Set(results.map((r) => r.lead.id)).size, 200);
    // Read as after a crash: no close, so nothing was folded into the month file yet.
    const lines = (await readFile(join(folder.dir, 'leads', '2026-11.changes.0.jsonl'), 'utf8')).split('\n');
    assert.equal(lines.filter(Boolean).length, 200);
    const recovered = await open();
    assert.equal((await recovered.listLeads()).length, 200);
  });

  it('acknowledges a re-delivered lead only once its first delivery is on disk', async () => {
    const store = await open();
    const first = createOnce(store, incoming(1), build); // its append is still in flight
    const again = await createOnce(store, incoming(1), build);
    assert.equal(again.created, false);
    const log = await readFile(join(folder.dir, 'leads', '2026-11.changes.0.jsonl'), 'utf8');
    assert.ok(log.includes(again.lead.id), 'on disk before the duplicate is acknowledged');
    await first;
  });

  it('refuses a save from a stale version and keeps the newer one', async () => {
    const store = await open();
    const { lead } = await createOnce(store, incoming(1), build);
    const saved = await store.saveLead({ ...lead, status: 'assigned' }, 1);
    assert.equal(saved.version, 2);
    await assert.rejects(store.saveLead({ ...lead, status: 'disqualified' }, 1), (error: unknown) => {
      assert.ok(error instanceof ConflictError);
      assert.equal((error.current as Lead).status, 'assigned');
      return true;
    });
    assert.equal((await store.getLead(lead.id))?.status, 'assigned');
  });

  it('records a posted delivery without changing the version the card carries', async () => {
    const store = await open();
    const { lead } = await createOnce(store, incoming(1), build);
    const updated = await store.updateDelivery(lead.id, '19:c@thread.tacv2', {
      state: 'posted',
      activityId: '42',
    });
    assert.equal(updated.version, 1);
    assert.equal(updated.deliveries[0]?.activityId, '42');
    assert.deepEqual(await store.pendingByChannel(10), []);
  });

  it('appends a change to its own month only, and folds the logs into the month files at close', async () => {
    const store = await open();
    const inMonth = (month: string) => (incoming: IncomingLead) => ({
      ...build(incoming),
      receivedAt: `${month}-15T10:00:00.000Z`,
    });
    const old = await createOnce(store, incoming(1), inMonth('2025-01'));
    await createOnce(store, incoming(2), inMonth('2026-11'));
    const january = join(folder.dir, 'leads', '2025-01.changes.0.jsonl');
    const before = (await stat(january)).size;
    await createOnce(store, incoming(3), inMonth('2026-11'));
    assert.equal((await stat(january)).size, before, 'an older month is left alone');
    await store.saveLead({ ...old.lead, status: 'assigned' }, 1);
    assert.ok((await stat(january)).size > before, 'the change went to its own month');
    await store.close();

    // Each month file names the (empty) change log that follows it, so a deleted one is noticed.
    const files = (await readdir(join(folder.dir, 'leads'))).sort();
    assert.deepEqual(files, [
      '2025-01.changes.1.jsonl',
      '2025-01.index.json', // what the indexes need of the month file, so a start need not parse it
      '2025-01.json',
      '2025-01.places.json', // where each lead is in the month file, by id: `lead <id>` reads one
      '2025-01.search.json', // what `find` matches, and where each lead is in the month file
      '2026-11.changes.1.jsonl',
      '2026-11.json', // last month is read whole at start: no index file until it is closed
    ]);
    for (const log of files.filter((f) => f.endsWith('.jsonl')))
      assert.equal(
        (await stat(join(folder.dir, 'leads', log))).size,
        0,
        `${log} holds nothing the month file lacks`,
      );
    const snapshot = JSON.parse(await readFile(join(folder.dir, 'leads', '2025-01.json'), 'utf8'));
    assert.deepEqual(
      snapshot.leads.map((l: Lead) => l.status),
      ['assigned'],
    );
    const reopened = await open();
    assert.deepEqual(
      (await reopened.listLeads()).map((l) => l.customer.firstName),
      ['Ann1', 'Ann2', 'Ann3'],
    );
    assert.equal((await reopened.getLead(old.lead.id))?.status, 'assigned');
  });

  it('lists the leads received in a period from the months that hold them, boundaries exact', async () => {
    const store = await open();
    const at = (receivedAt: string) => (incoming: IncomingLead) => ({ ...build(incoming), receivedAt });
    const times = [
      '2026-09-30T23:59:59.999Z',
      '2026-10-01T00:00:00.000Z',
      '2026-10-31T23:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
    ];
    for (const [n, time] of times.entries()) await createOnce(store, incoming(n), at(time));
    const october = await store.listLeadsReceived(
      new Date('2026-10-01T00:00:00Z'),
      new Date('2026-11-01T00:00:00Z'),
    );
    assert.deepEqual(
      october.map((l) => l.receivedAt),
      [times[1], times[2]],
    );
  });

  it('folds a month log into its file once the log outgrows it, keeping every change', async () => {
    const store = await open({ compactAtBytes: 4096 });
    const { lead } = await createOnce(store, incoming(1), build);
    let current = lead;
    for (let i = 0; i < 12; i++)
      current = await store.saveLead(
        { ...current, description: `call ${i} ${'x'.repeat(400)}` },
        current.version,
      );
    for (let n = 2; n < 8; n++) await createOnce(store, incoming(n), build);
    await store.settled();
    const files = await readdir(join(folder.dir, 'leads'));
    assert.ok(files.includes('2026-11.json'), `a month file was written: ${files}`);
    assert.ok(!files.includes('2026-11.changes.0.jsonl'), 'the folded log is gone');
    const recovered = await open();
    assert.equal((await recovered.getLead(lead.id))?.version, current.version);
    assert.equal((await recovered.listLeads()).length, 7);
  });

  it('cuts off a change that was half written when the power went, and goes on', async () => {
    const store = await open();
    const { lead } = await createOnce(store, incoming(1), build);
    const log = join(folder.dir, 'leads', '2026-11.changes.0.jsonl');
    await appendFile(log, '{"id":"L-HALF","recei');
    const recovered = await open();
    assert.deepEqual(
      (await recovered.listLeads()).map((l) => l.id),
      [lead.id],
    );
    const second = await createOnce(recovered, incoming(2), build);
    const again = await open();
    assert.deepEqual(
      (await again.listLeads()).map((l) => l.id),
      [lead.id, second.lead.id],
    );
  });

  it('ignores and removes a log that a compaction had already folded in before a crash', async () => {
    const store = await open();
    const { lead } = await createOnce(store, incoming(1), build);
    await store.saveLead({ ...lead, status: 'assigned' }, 1);
    await store.close(); // 2026-11.json now says changeLog 1
    const stale = join(folder.dir, 'leads', '2026-11.changes.0.jsonl');
    await writeFile(stale, `${JSON.stringify(lead)}\n`); // the older state, left behind by the crash
    const reopened = await open();
    assert.equal((await reopened.getLead(lead.id))?.status, 'assigned');
    assert.ok(!(await readdir(join(folder.dir, 'leads'))).includes('2026-11.changes.0.jsonl'));
  });

  it('stops on a damaged line inside a month log, naming the file and the line', async () => {
    const store = await open();
    await createOnce(store, incoming(1), build);
    const log = join(folder.dir, 'leads', '2026-11.changes.0.jsonl');
    await appendFile(log, 'not json\n');
    await createOnce(store, incoming(2), build);
    const before = await readFile(log, 'utf8');
    await crash();
    await assert.rejects(LowdbStore.open(folder.dir), /2026-11\.changes\.0\.jsonl is damaged at line 2/);
    assert.equal(await readFile(log, 'utf8'), before);
  });

  it('moves leads out of a version 1 data file without losing one', async () => {
    const v1 = { schema: 1, leads: [build(incoming(7))], installations: [], routing: { byStorefront: {} } };
    await writeFile(join(folder.dir, 'lead-assistant.json'), JSON.stringify(v1));
    const store = await open();
    assert.equal((await store.listLeads()).length, 1);
    const meta = JSON.parse(await readFile(join(folder.dir, 'lead-assistant.json'), 'utf8'));
    assert.deepEqual([meta.schema, meta.leads], [2, undefined]);
    assert.equal((await (await open()).listLeads()).length, 1, 'and they are on disk');
  });

  it('stops on a damaged month file too, naming it', async () => {
    const store = await open();
    await createOnce(store, incoming(1), build);
    await store.close();
    const month = join(folder.dir, 'leads', '2026-11.json');
    await writeFile(month, '{"leads":[');
    await assert.rejects(LowdbStore.open(folder.dir), /leads\/2026-11\.json is damaged/);
    assert.equal(await readFile(month, 'utf8'), '{"leads":[');
  });

  it('stops on a damaged file, names it, and leaves it untouched', async () => {
    const path = join(folder.dir, 'lead-assistant.json');
    const damaged = '{"schema":1,"leads":[{"id":"L-AAAAA"';
    await writeFile(path, damaged);
    await assert.rejects(LowdbStore.open(folder.dir), (error: unknown) => {
      assert.ok(error instanceof StorageError);
      assert.match(error.message, /lead-assistant\.json is damaged/);
      assert.match(error.message, /backup/);
      return true;
    });
    assert.equal(await readFile(path, 'utf8'), damaged);
  });
});
