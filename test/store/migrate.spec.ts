import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeadStore } from '../../src/leads/store.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { migrateStore } from '../../src/store/migrate.js';
import { makeIncoming, storedLead } from '../fakes/lead-factory.js';

const LEADS = 3000;

describe('moving the embedded store to another backend (npm run migrate)', () => {
  let dir: string;
  let source: LowdbStore;
  before(async function () {
    this.timeout(60_000);
    dir = await mkdtemp(join(tmpdir(), 'migrate-'));
    source = await LowdbStore.open(dir);
    for (let n = 0; n < LEADS; n += 100) {
      const batch = Array.from({ length: 100 }, (_, i) => storedLead(makeIncoming(n + i)));
      await Promise.all(batch.map((lead) => source.createLead(lead)));
    }
    await source.putInstallation({
      teamId: 'team-1',
      teamName: 'Sales',
      tenantId: 'tenant',
      serviceUrl: 'http://127.0.0.1:1/',
      botId: '28:bot',
      installedAt: '2026-11-24T10:00:00.000Z',
      channels: [{ id: '19:c@thread.tacv2', name: 'Leads' }],
    });
    await source.setRouting({
      defaultChannel: { teamId: 'team-1', channelId: '19:c@thread.tacv2' },
      byStorefront: {},
    });
  });
  after(async () => {
    await source.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('copies every lead, team and setting, and counts what the target then holds', async () => {
    const target = new MemoryStore();
    const report = await migrateStore(source, target);
    assert.equal(report.copied, LEADS);
    assert.equal(report.targetLeads, (await source.stats()).leads);
    assert.equal((await target.listInstallations())[0]?.teamName, 'Sales');
    assert.equal((await target.getRouting()).defaultChannel?.channelId, '19:c@thread.tacv2');
    const [first] = await source.listLeads();
    assert.deepEqual(await target.getLead(first?.id ?? ''), first);
  });

  it('is resumed after an interruption by running it again: nothing is lost or copied twice', async () => {
    const target = new MemoryStore();
    const stop = new AbortController();
    await assert.rejects(
      migrateStore(source, target, {
        signal: stop.signal,
        onProgress: (done) => done >= 1000 && stop.abort(new Error('operator pressed Ctrl-C')),
      }),
      /Ctrl-C/,
    );
    const partial = (await target.stats()).leads;
    assert.ok(partial >= 1000 && partial < LEADS, `${partial} copied before the interruption`);

    const report = await migrateStore(source, target);
    assert.equal(report.alreadyThere, partial);
    assert.equal(report.copied, LEADS - partial);
    assert.equal(report.targetLeads, LEADS);
    const again = await migrateStore(source, target);
    assert.equal(again.copied, 0, 'a third run copies nothing');
  });

  it('brings a lead the source changed since an earlier run up to date', async () => {
    const target: LeadStore = new MemoryStore();
    await migrateStore(source, target);
    const [lead] = await source.listLeads();
    if (!lead) throw new Error('no lead');
    await source.saveLead(
      { ...lead, status: 'assigned', owner: { aadObjectId: 'a', name: 'Ana' } },
      lead.version,
    );
    // Its card was posted after the first run: the copy must not post it again.
    await source.updateDelivery(lead.id, '19:c@thread.tacv2', { state: 'posted', activityId: 'm-1' });
    const report = await migrateStore(source, target);
    assert.equal(report.updated, 1);
    const copied = await target.getLead(lead.id);
    assert.equal(copied?.owner?.name, 'Ana');
    assert.equal(copied?.deliveries[0]?.state, 'posted', 'the card would be posted a second time');
    assert.equal(copied?.deliveries[0]?.activityId, 'm-1');
  });
});
