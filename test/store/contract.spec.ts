import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError, NotFoundError } from '../../src/errors.js';
import { owingTeams } from '../../src/leads/changes.js';
import { createOnce } from '../../src/leads/intake.js';
import type { IncomingLead, Lead } from '../../src/leads/lead.js';
import { RollupBook } from '../../src/leads/rollup-book.js';
import type { LeadStore } from '../../src/leads/store.js';
import { AzureTableStore } from '../../src/store/azure-table-store.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { type Azurite, startAzurite } from '../fakes/azurite.js';
import { makeIncoming } from '../fakes/lead-factory.js';
import { normalCells } from '../fakes/rollup-cells.js';

/** A backend under test: how to open a fresh store, and how to open it again on the same data. */
interface Backend {
  name: string;
  /** Keeps its data across a reopen (the in-memory store keeps nothing, by design). */
  durable: boolean;
  open(): Promise<{ store: LeadStore; reopen?: () => Promise<LeadStore>; dispose(): Promise<void> }>;
  /** After the backend's last test: stops what its first one started. */
  teardown?(): Promise<void>;
}

/** One Azurite for this file, started by the first Azure test; each test has its own tables. */
let azurite: Promise<Azurite> | undefined;

const backends: Backend[] = [
  {
    name: 'embedded (lowdb files)',
    durable: true,
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'contract-'));
      const opened: LowdbStore[] = [await LowdbStore.open(dir)];
      const [store] = opened as [LowdbStore];
      return {
        store,
        async reopen() {
          for (const s of opened) await s.close();
          const again = await LowdbStore.open(dir);
          opened.push(again);
          return again;
        },
        async dispose() {
          for (const s of opened) await s.close().catch(() => undefined);
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'Azure Table storage (Azurite)',
    durable: true,
    async open() {
      azurite ??= startAzurite();
      const { connectionString, clientOptions, freshPrefix } = await azurite;
      const prefix = freshPrefix();
      const open = () =>
        AzureTableStore.open({ connectionString, clientOptions, prefix, timeZone: 'Europe/Lisbon' });
      const opened = [await open()];
      return {
        store: opened[0] as AzureTableStore,
        async reopen() {
          const again = await open();
          opened.push(again);
          return again;
        },
        async dispose() {
          for (const s of opened) await s.close();
        },
      };
    },
    async teardown() {
      await (await azurite)?.dispose();
      azurite = undefined;
    },
  },
  {
    name: 'in memory',
    durable: false,
    async open() {
      return { store: new MemoryStore(), dispose: async () => undefined };
    },
  },
];

const CHANNEL = '19:leads@thread.tacv2';

function build(id: string, minute = 0): (incoming: IncomingLead) => Lead {
  return (incoming) => ({
    ...incoming,
    id,
    receivedAt: new Date(Date.UTC(2026, 10, 24, 10, minute)).toISOString(),
    status: 'new',
    history: [],
    deliveries: [{ teamId: 'team-1', conversationId: CHANNEL, state: 'pending', attempts: 0 }],
    version: 1,
  });
}

for (const backend of backends) {
  describe(`the store contract: ${backend.name}`, () => {
    let store: LeadStore;
    let handle: Awaited<ReturnType<Backend['open']>>;
    beforeEach(async () => {
      handle = await backend.open();
      store = handle.store;
    });
    afterEach(() => handle.dispose());
    after(() => backend.teardown?.());

    it("keeps a manager's change made while turns wait to be written, on disk too", async () => {
      await store.updateAutoAssign('team-1', () => ({
        teamId: 'team-1',
        enabled: true,
        rules: [],
        turns: {},
      }));
      // Turns taken in a burst of leads, written together later; then "auto-assign off" at once.
      const turns = Array.from({ length: 5 }, (_, i) =>
        store.updateAutoAssign(
          'team-1',
          (current) =>
            current ? { ...current, turns: { ...current.turns, [`p${i}`]: `t${i}` } } : undefined,
          'soon',
        ),
      );
      await store.updateAutoAssign('team-1', (current) =>
        current ? { ...current, enabled: false } : undefined,
      );
      await Promise.all(turns);
      const kept = await store.getAutoAssign('team-1');
      assert.equal(kept?.enabled, false, 'the turns written after it did not switch it back on');
      assert.equal(Object.keys(kept?.turns ?? {}).length, 5, 'and no turn was lost');
      const again = await handle.reopen?.();
      if (again) assert.equal((await again.getAutoAssign('team-1'))?.enabled, false);
    });

    it('takes automatic-assignment turns atomically, keeps them, and leaves a team without settings alone', async () => {
      assert.equal(
        await store.updateAutoAssign('team-1', (current) => current),
        undefined,
        'nothing to change: nothing stored',
      );
      assert.equal(await store.getAutoAssign('team-1'), undefined);
      await store.updateAutoAssign('team-1', () => ({
        teamId: 'team-1',
        enabled: true,
        rules: [],
        turns: {},
      }));
      // Twenty turns at once, each counting the turns already taken: none is lost, none taken twice.
      const seen = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.updateAutoAssign('team-1', (current) =>
            current
              ? {
                  ...current,
                  turns: { ...current.turns, [`p${i}`]: String(Object.keys(current.turns).length) },
                }
              : undefined,
          ),
        ),
      );
      const stored = await store.getAutoAssign('team-1');
      assert.equal(Object.keys(stored?.turns ?? {}).length, 20);
      assert.deepEqual(
        Object.values(stored?.turns ?? {}).sort((a, b) => Number(a) - Number(b)),
        Array.from({ length: 20 }, (_, i) => String(i)),
      );
      assert.ok(seen.every((s) => s?.enabled));
      await store.putAway({
        aadObjectId: 'p1',
        name: 'P One',
        until: '2030-01-01T00:00:00.000Z',
        setAt: '2026-01-01T00:00:00.000Z',
      });
      assert.deepEqual(
        (await store.listAway()).map((a) => a.aadObjectId),
        ['p1'],
      );
      assert.equal(await store.removeAway('p1'), true);
      assert.equal(await store.removeAway('p1'), false);
      assert.deepEqual(await store.listAway(), []);
    });

    it('refuses a taken id and a taken fingerprint, naming the lead that has the payload, and changes nothing', async () => {
      const first = await store.createLead(build('L-AAAAA')(makeIncoming(1)));
      await assert.rejects(store.createLead(build('L-AAAAA')(makeIncoming(2))), (error: unknown) => {
        assert.ok(error instanceof ConflictError);
        // Either nobody (the holder is not read) or the holder: never a lead that is not it.
        assert.ok(error.current === undefined || (error.current as Lead).id === 'L-AAAAA');
        return true;
      });
      await assert.rejects(store.createLead(build('L-BBBBB')(makeIncoming(1))), (error: unknown) => {
        assert.ok(error instanceof ConflictError);
        assert.equal((error.current as Lead).id, first.id);
        return true;
      });
      assert.equal((await store.stats()).leads, 1);
      assert.equal(await store.getLead('L-BBBBB'), undefined);
      assert.equal((await store.getLead('L-AAAAA'))?.customer.firstName, first.customer.firstName);
    });

    it('draws a new id when one is taken, and answers "not created" for a known payload (createOnce)', async () => {
      await store.createLead(build('L-AAAAA')(makeIncoming(1)));
      const ids = ['L-AAAAA', 'L-CCCCC'];
      const second = await createOnce(store, makeIncoming(2), (incoming) =>
        build(ids.shift() ?? 'L-ZZZZZ')(incoming),
      );
      assert.deepEqual([second.lead.id, second.created], ['L-CCCCC', true]);
      const again = await createOnce(store, makeIncoming(2), build('L-DDDDD'));
      assert.deepEqual([again.lead.id, again.created], ['L-CCCCC', false]);
    });

    it('saves only from the current version: of twenty claims from one card, one wins', async () => {
      const lead = await store.createLead(build('L-AAAAA')(makeIncoming(1)));
      const claims = await Promise.allSettled(
        Array.from({ length: 20 }, (_, n) =>
          store.saveLead({ ...lead, status: 'assigned', owner: { aadObjectId: `u${n}`, name: `U${n}` } }, 1),
        ),
      );
      const won = claims.filter((c) => c.status === 'fulfilled');
      assert.equal(won.length, 1);
      for (const lost of claims.filter((c) => c.status === 'rejected'))
        assert.ok((lost as PromiseRejectedResult).reason instanceof ConflictError);
      const stored = await store.getLead(lead.id);
      assert.equal(stored?.version, 2);
      assert.equal(
        stored?.owner?.aadObjectId,
        (won[0] as PromiseFulfilledResult<Lead>).value.owner?.aadObjectId,
      );
    });

    it('keeps a claim and the delivery bookkeeping that races it: both survive', async () => {
      const lead = await store.createLead(build('L-AAAAA')(makeIncoming(1)));
      const [claimed] = await Promise.all([
        store.saveLead({ ...lead, status: 'assigned', owner: { aadObjectId: 'u1', name: 'U1' } }, 1),
        store.updateDelivery(lead.id, CHANNEL, { state: 'posted', activityId: '42' }),
        store.updateReminders(lead.id, { announcedAt: '2026-11-24T10:05:00.000Z' }),
      ]);
      const stored = await store.getLead(lead.id);
      assert.equal(stored?.status, 'assigned', 'bookkeeping did not undo the claim');
      assert.equal(stored?.deliveries[0]?.activityId, '42', 'the claim did not undo the bookkeeping');
      assert.equal(stored?.reminders?.announcedAt, '2026-11-24T10:05:00.000Z');
      assert.equal(stored?.version, claimed.version, 'bookkeeping leaves the version the card shows');
    });

    it('saves a change made from a copy read before a card was posted without undoing the post', async () => {
      const read = await store.createLead(build('L-AAAAA')(makeIncoming(1)));
      await store.updateDelivery(read.id, CHANNEL, { state: 'posted', activityId: '42', attempts: 1 });
      await store.updateReminders(read.id, { announcedAt: '2026-11-24T10:05:00.000Z' });
      // The claim was worked out on `read`, whose delivery still says pending.
      await store.saveLead({ ...read, status: 'assigned', owner: { aadObjectId: 'u1', name: 'U1' } }, 1);
      const stored = await store.getLead(read.id);
      assert.equal(stored?.status, 'assigned');
      assert.equal(stored?.deliveries[0]?.state, 'posted', 'the card would be posted a second time');
      assert.equal(stored?.deliveries[0]?.activityId, '42');
      assert.equal(stored?.reminders?.announcedAt, '2026-11-24T10:05:00.000Z');
      assert.deepEqual(
        (await store.pendingByChannel(10)).flatMap((b) => b.leads.map((l) => l.id)),
        [],
        'nothing left to post',
      );
    });

    it('keeps what a saved change owes Teams with it: the posted cards’ updates and the new owner’s notice, listed as owed, also after a reopen', async () => {
      const lead = await store.createLead(build('L-AAAAA')(makeIncoming(1)));
      await store.updateDelivery(lead.id, CHANNEL, { state: 'posted', activityId: '42', attempts: 1 });
      const posted = (await store.getLead(lead.id)) as Lead;
      const megan = { aadObjectId: 'u1', name: 'Megan' };
      const assigned = owingTeams(
        { ...posted, status: 'assigned', owner: megan },
        { verb: 'assign', by: { aadObjectId: 'u2', name: 'Alex' } },
        posted.version,
        new Date(Date.UTC(2026, 10, 24, 10, 5)),
      );
      const saved = await store.saveLead(assigned, posted.version);
      assert.equal(saved.deliveries[0]?.nextAttemptAt, '2026-11-24T10:05:00.000Z', 'the card owes an update');
      assert.deepEqual(
        [saved.ownerNotice?.state, saved.ownerNotice?.to, saved.ownerNotice?.forVersion],
        ['owed', megan, saved.version],
      );
      const owed = async (s: LeadStore) =>
        (await s.listOwedUpdates()).map((l) => [l.id, l.ownerNotice?.state]);
      assert.deepEqual(await owed(store), [['L-AAAAA', 'owed']]);
      const reopened = (await handle.reopen?.()) ?? store;
      if (backend.durable)
        assert.deepEqual(await owed(reopened), [['L-AAAAA', 'owed']], 'a crash loses none');

      // The card went (at the version it showed): settled; the notice still owed keeps it listed.
      await reopened.updateDelivery(lead.id, CHANNEL, { nextAttemptAt: undefined }, saved.version);
      assert.deepEqual(await owed(reopened), [['L-AAAAA', 'owed']], 'the notice is still owed');
      await reopened.updateOwnerNotice(lead.id, saved.version, { state: 'told' });
      assert.deepEqual(await owed(reopened), [], 'nothing owed any more');
      const stored = await reopened.getLead(lead.id);
      assert.equal(stored?.version, saved.version, 'bookkeeping leaves the version');
      assert.equal(stored?.ownerNotice?.state, 'told');
    });

    it('settles a card update only at the version it showed, and an owner notice only for its own assignment', async () => {
      const lead = await store.createLead(build('L-AAAAA')(makeIncoming(1)));
      await store.updateDelivery(lead.id, CHANNEL, { state: 'posted', activityId: '42', attempts: 1 });
      const at = new Date(Date.UTC(2026, 10, 24, 10, 5));
      const by = { aadObjectId: 'u2', name: 'Alex' };
      const read = (await store.getLead(lead.id)) as Lead;
      const first = await store.saveLead(
        owingTeams(
          { ...read, status: 'assigned', owner: { aadObjectId: 'u1', name: 'U1' } },
          { verb: 'assign', by },
          read.version,
          at,
        ),
        read.version,
      );
      // The card showing `first` is at Teams while a second assignment is saved.
      const second = await store.saveLead(
        owingTeams(
          { ...first, owner: { aadObjectId: 'u3', name: 'U3' } },
          { verb: 'assign', by },
          first.version,
          at,
        ),
        first.version,
      );
      await store.updateDelivery(lead.id, CHANNEL, { nextAttemptAt: undefined }, first.version);
      await store.updateOwnerNotice(lead.id, first.version, { state: 'failed' });
      const stored = (await store.getLead(lead.id)) as Lead;
      assert.ok(stored.deliveries[0]?.nextAttemptAt, 'the second change is still owed to the card');
      assert.deepEqual(
        [stored.ownerNotice?.to.name, stored.ownerNotice?.state, stored.ownerNotice?.forVersion],
        ['U3', 'owed', second.version],
        'the first notice’s outcome does not touch the second',
      );
      // A later change that is no assignment keeps the notice still owed.
      const noted = await store.saveLead(
        owingTeams({ ...stored, status: 'qualified' }, { verb: 'qualify', by }, stored.version, at),
        stored.version,
      );
      assert.equal(noted.ownerNotice?.state, 'owed');
      assert.deepEqual(
        (await store.listOwedUpdates()).map((l) => l.id),
        ['L-AAAAA'],
      );
    });

    it('answers the named queries: received in a period, by e-mail, by fingerprint, pending per channel, owed updates', async () => {
      const a = await store.createLead(build('L-AAAAA', 1)(makeIncoming(1)));
      const b = await store.createLead(build('L-BBBBB', 2)(makeIncoming(2)));
      await store.createLead(build('L-CCCCC', 3)(makeIncoming(3)));
      const received = await store.listLeadsReceived(
        new Date(Date.UTC(2026, 10, 24, 10, 2)),
        new Date(Date.UTC(2026, 10, 24, 10, 3)),
      );
      assert.deepEqual(
        received.map((l) => l.id),
        ['L-BBBBB'],
      );
      assert.deepEqual(
        (await store.findByEmail(a.customer.email.toUpperCase())).map((l) => l.id),
        ['L-AAAAA'],
      );
      assert.equal((await store.findByFingerprint(b.fingerprint))?.id, 'L-BBBBB');
      await store.updateDelivery(a.id, CHANNEL, { state: 'posted', activityId: '1' });
      const [queue] = await store.pendingByChannel(1);
      assert.deepEqual(
        [queue?.conversationId, queue?.pending, queue?.leads.map((l) => l.id)],
        [CHANNEL, 2, ['L-BBBBB']],
      );
      await store.updateDelivery(a.id, CHANNEL, { nextAttemptAt: '2026-11-24T10:10:00.000Z' });
      assert.deepEqual(
        (await store.listOwedUpdates()).map((l) => l.id),
        ['L-AAAAA'],
      );
      assert.deepEqual(await store.stats(), {
        leads: 3,
        pendingDeliveries: 2,
        failedDeliveries: 0,
        installations: 0,
      });
    });

    it('puts failed deliveries of a team back in the queue, in arrival order', async () => {
      for (const [n, id] of ['L-AAAAA', 'L-BBBBB'].entries()) {
        const lead = await store.createLead(build(id, n)(makeIncoming(n)));
        await store.updateDelivery(lead.id, CHANNEL, { state: 'failed' });
      }
      assert.equal((await store.stats()).failedDeliveries, 2);
      assert.equal(await store.retryFailedDeliveries('team-1'), 2);
      const [queue] = await store.pendingByChannel(10);
      assert.deepEqual(
        queue?.leads.map((l) => l.id),
        ['L-AAAAA', 'L-BBBBB'],
      );
    });

    it('lists open and closed leads, and finds leads by words, without the caller walking history', async () => {
      const open = await store.createLead(build('L-AAAAA', 1)(makeIncoming(1)));
      const won = await store.createLead({ ...build('L-BBBBB', 2)(makeIncoming(2)), status: 'won' });
      await store.createLead({
        ...build('L-CCCCC', 3)(makeIncoming(3)),
        status: 'lost',
        erased: { at: '2026-11-24T11:00:00.000Z', reason: 'request' },
      });
      assert.deepEqual(
        (await store.listOpenLeads()).map((l) => l.id),
        [open.id],
      );
      assert.deepEqual(
        (await store.listClosedLeads()).map((l) => l.id),
        [won.id],
        'erased leads are done with',
      );
      await store.saveLead({ ...open, status: 'disqualified' }, 1);
      assert.deepEqual(await store.listOpenLeads(), []);
      assert.deepEqual(
        (await store.searchLeads(`${won.customer.lastName} ${won.id.toLowerCase()}`)).map((l) => l.id),
        [won.id],
      );
      assert.deepEqual(await store.searchLeads('   '), []);
    });

    it('lists the leads waiting for a channel: none yet, or only refused ones', async () => {
      await store.createLead({ ...build('L-AAAAA', 1)(makeIncoming(1)), deliveries: [] });
      const refused = await store.createLead(build('L-BBBBB', 2)(makeIncoming(2)));
      await store.createLead(build('L-CCCCC', 3)(makeIncoming(3)));
      await store.updateDelivery(refused.id, CHANNEL, { state: 'failed' });
      assert.deepEqual((await store.listUndelivered()).map((l) => l.id).sort(), ['L-AAAAA', 'L-BBBBB']);
      await store.addDeliveries('L-AAAAA', [
        { teamId: 'team-1', conversationId: '19:new', state: 'pending', attempts: 0 },
      ]);
      assert.deepEqual(
        (await store.listUndelivered()).map((l) => l.id),
        ['L-BBBBB'],
      );
    });

    it('keeps installations, digests and routing, one per team and per conversation', async () => {
      const installation = {
        teamId: 'team-1',
        teamName: 'Sales',
        tenantId: 't',
        serviceUrl: 'http://127.0.0.1:1/',
        botId: '28:b',
        installedAt: '2026-11-24T09:00:00.000Z',
        channels: [],
      };
      await store.putInstallation(installation);
      await store.putInstallation({ ...installation, teamName: 'Sales EMEA' });
      assert.deepEqual(
        (await store.listInstallations()).map((i) => i.teamName),
        ['Sales EMEA'],
      );
      const digest = {
        conversationId: '19:x',
        serviceUrl: '',
        tenantId: 't',
        botId: 'b',
        cadence: 'daily' as const,
        time: '08:30',
        locale: 'en',
        createdAt: '2026-11-24T09:00:00.000Z',
      };
      await store.putDigest(digest);
      assert.equal(await store.removeDigest('19:x'), true);
      assert.equal(await store.removeDigest('19:x'), false);
      const routing = { defaultChannel: { teamId: 'team-1', channelId: CHANNEL }, byStorefront: {} };
      await store.setRouting(routing);
      routing.defaultChannel.channelId = 'changed by the caller afterwards';
      assert.equal((await store.getRouting()).defaultChannel?.channelId, CHANNEL);
      await store.removeInstallation('team-1');
      assert.equal(await store.getInstallation('team-1'), undefined);
    });

    it('keeps lead event cursors as bookkeeping: leads owing each endpoint, cheaply, earliest due first', async () => {
      const entry = (minute: number) => ({
        at: new Date(Date.UTC(2026, 10, 24, 10, minute)).toISOString(),
        by: { aadObjectId: 'system', name: 'Marketplace' },
        action: 'received',
      });
      await store.putEventEndpoint({ key: 'k1', since: '2026-11-24T10:00:00.000Z' });
      const a = await store.createLead({ ...build('L-AAAAA', 1)(makeIncoming(1)), history: [entry(1)] });
      await store.createLead({
        ...build('L-OLDER', 0)(makeIncoming(2)),
        history: [{ ...entry(0), at: '2026-11-24T09:59:00.000Z' }],
      });
      await store.createLead({ ...build('L-CCCCC', 2)(makeIncoming(3)), history: [entry(2)] });
      await store.createLead({ ...build('L-TESTS', 3)(makeIncoming(4)), history: [entry(3)], isTest: true });
      assert.deepEqual(
        (await store.listOwedEvents('k1', 10)).map((l) => l.id),
        ['L-AAAAA', 'L-CCCCC'],
        'not what came before the endpoint, nor test leads',
      );
      const retried = await store.updateEventCursor(a.id, 'k1', {
        attempts: 1,
        nextAttemptAt: '2026-11-24T11:00:00.000Z',
      });
      assert.equal(retried.version, a.version, 'bookkeeping leaves the version');
      assert.deepEqual(retried.events, {
        k1: { sent: 0, attempts: 1, nextAttemptAt: '2026-11-24T11:00:00.000Z' },
      });
      assert.deepEqual(
        (await store.listOwedEvents('k1', 10)).map((l) => l.id),
        ['L-CCCCC', 'L-AAAAA'],
        'a lead waiting for its retry goes after one never tried',
      );
      assert.deepEqual(
        (await store.listOwedEvents('k1', 1)).map((l) => l.id),
        ['L-CCCCC'],
      );
      // A change saved from a copy read before the bookkeeping keeps the stored cursor.
      const saved = await store.saveLead(
        { ...a, status: 'assigned', history: [...a.history, entry(5)] },
        a.version,
      );
      assert.equal(saved.events?.k1?.attempts, 1);
      assert.equal((await store.getLead(a.id))?.events?.k1?.nextAttemptAt, '2026-11-24T11:00:00.000Z');
      await store.updateEventCursor(a.id, 'k1', {
        sent: 1,
        attempts: undefined,
        nextAttemptAt: undefined,
        failed: 1,
      });
      assert.deepEqual((await store.getLead(a.id))?.events?.k1, { sent: 1, failed: 1 });
      assert.deepEqual(await store.eventStats(), [{ key: 'k1', owed: 2, owingLeads: 2, failed: 1 }]);
      await store.updateEventCursor(a.id, 'k1', { sent: 2 });
      assert.deepEqual(
        (await store.listOwedEvents('k1', 10)).map((l) => l.id),
        ['L-CCCCC'],
      );
      await assert.rejects(store.updateEventCursor(a.id, 'nope', { sent: 1 }), NotFoundError);
      await store.putEventEndpoint({ key: 'k2', since: '2026-11-24T10:00:00.000Z' });
      assert.deepEqual(
        (await store.listOwedEvents('k2', 10)).map((l) => l.id),
        ['L-AAAAA', 'L-CCCCC'],
        'a second endpoint has its own cursors',
      );
      await store.putEventEndpoint({
        key: 'k1',
        since: '2026-11-24T10:00:00.000Z',
        stopped: { at: '2026-11-24T12:00:00.000Z', status: 410 },
      });
      assert.deepEqual(await store.listOwedEvents('k1', 10), [], 'nothing is owed to a stopped endpoint');
      if (backend.durable) {
        const reopened = (await handle.reopen?.()) as LeadStore;
        assert.equal((await reopened.listEventEndpoints()).find((e) => e.key === 'k1')?.stopped?.status, 410);
        assert.deepEqual((await reopened.getLead(a.id))?.events?.k1, { sent: 2, failed: 1 });
        assert.deepEqual(
          (await reopened.listOwedEvents('k2', 10)).map((l) => l.id),
          ['L-AAAAA', 'L-CCCCC'],
        );
        store = reopened;
      }
      await store.removeEventEndpoint('k2');
      assert.deepEqual(
        (await store.listEventEndpoints()).map((e) => e.key),
        ['k1'],
      );
      assert.deepEqual(await store.listOwedEvents('k2', 10), []);
    });

    it('gives a lease to one holder at a time: renewed by it, taken over once expired or released', async () => {
      const t0 = new Date(Date.UTC(2026, 10, 24, 10, 0, 0));
      const at = (ms: number) => new Date(t0.getTime() + ms);
      const racers = await Promise.all(
        Array.from({ length: 10 }, (_, n) => store.acquireLease('outbox', `instance-${n}`, 30_000, t0)),
      );
      assert.equal(racers.filter(Boolean).length, 1, 'exactly one of ten racing instances gets it');
      const holder = `instance-${racers.indexOf(true)}`;
      const other = holder === 'instance-0' ? 'instance-1' : 'instance-0';
      assert.equal(await store.acquireLease('outbox', other, 30_000, at(29_000)), false);
      assert.equal(await store.acquireLease('outbox', holder, 30_000, at(29_000)), true, 'renewed');
      assert.equal(
        await store.acquireLease('outbox', other, 30_000, at(58_000)),
        false,
        'the renewal counts',
      );
      assert.equal(
        await store.acquireLease('digests', other, 30_000, at(58_000)),
        true,
        'leases are by name',
      );
      await store.releaseLease('outbox', other); // not its lease: nothing happens
      assert.equal(await store.acquireLease('outbox', other, 30_000, at(58_500)), false);
      assert.equal(await store.acquireLease('outbox', other, 30_000, at(59_001)), true, 'taken once expired');
      await store.releaseLease('outbox', other);
      assert.equal(
        await store.acquireLease('outbox', holder, 30_000, at(60_000)),
        true,
        'free once released',
      );
    });

    it('keeps checkpoints by name, and the Teams sends of the last hour, oldest first', async () => {
      assert.equal(await store.getCheckpoint('marketplace-table'), undefined);
      await store.setCheckpoint('marketplace-table', '2026-11-24T10:00:00.000Z|9:2F28|r1');
      await store.setCheckpoint('marketplace-table', '2026-11-24T10:05:00.000Z|9:2F28|r2');
      await store.setCheckpoint('other', 'x');
      assert.equal(await store.getCheckpoint('marketplace-table'), '2026-11-24T10:05:00.000Z|9:2F28|r2');
      const now = Date.now();
      await store.recordSend({ thread: '19:a', tenant: 't1', at: now - 10_000 });
      await store.recordSend({ thread: '19:b', tenant: 't1', at: now - 2_000 });
      await store.recordSend({ thread: '19:a', tenant: 't2', at: now - 1_000 });
      assert.deepEqual(await store.recentSends(now - 5_000), [
        { thread: '19:b', tenant: 't1', at: now - 2_000 },
        { thread: '19:a', tenant: 't2', at: now - 1_000 },
      ]);
      assert.equal((await store.recentSends(now - 3_600_000)).length, 3);
    });

    it('keeps the summary rollups as leads change: the cells rebuilt from its leads, after a reopen too', async () => {
      assert.ok(store.rollupCells, 'the store keeps summary rollups');
      const [zone, day] = ['Europe/Lisbon', '2026-11-24'];
      assert.deepEqual(await store.rollupCells(day, day, zone), []);
      const a = await store.createLead(build('L-AAAAA')(makeIncoming(1)));
      await store.createLead(build('L-BBBBB', 5)(makeIncoming(2)));
      await store.createLead({ ...build('L-CCCCC', 9)(makeIncoming(3)), deliveries: [], isTest: true });
      const by = { aadObjectId: 'u-1', name: 'Ann' };
      const at = '2026-11-24T10:30:00.000Z';
      await store.saveLead(
        {
          ...a,
          status: 'assigned',
          owner: by,
          history: [{ at, by, action: 'claim', from: 'new', to: 'assigned' }],
        },
        1,
      );
      await store.updateDelivery('L-BBBBB', CHANNEL, { state: 'posted', activityId: 'a-1' });
      await store.addDeliveries('L-CCCCC', [
        { teamId: 'team-2', conversationId: CHANNEL, state: 'pending', attempts: 0 },
      ]);
      const expected = normalCells(RollupBook.rebuild(await store.listLeads(), zone).between(day, day));
      assert.deepEqual(normalCells(await store.rollupCells(day, day, zone)), expected);
      assert.deepEqual(
        expected.map((c) => [c.teams, c.kind, c.received, c.funnel.assigned, Object.keys(c.owners)]),
        [
          ['team-1', 'lead', 2, 1, ['u-1']],
          ['team-2', 'test', 1, 0, []],
        ],
      );
      if (!backend.durable) return;
      const reopened = await handle.reopen?.();
      assert.deepEqual(normalCells((await reopened?.rollupCells?.(day, day, zone)) ?? []), expected);
    });

    if (!backend.durable) return;
    it('keeps checkpoints and recent sends across a reopen', async () => {
      const now = Date.now();
      await store.setCheckpoint('marketplace-table', 'c1');
      await store.recordSend({ thread: '19:a', tenant: 't1', at: now - 1_000 });
      const reopened = await handle.reopen?.();
      assert.equal(await reopened?.getCheckpoint('marketplace-table'), 'c1');
      assert.deepEqual(await reopened?.recentSends(now - 60_000), [
        { thread: '19:a', tenant: 't1', at: now - 1_000 },
      ]);
    });

    it('keeps everything across a reopen', async () => {
      const lead = await store.createLead(build('L-AAAAA')(makeIncoming(1)));
      await store.saveLead({ ...lead, status: 'assigned' }, 1);
      const reopened = await handle.reopen?.();
      assert.equal((await reopened?.getLead('L-AAAAA'))?.status, 'assigned');
      await assert.rejects(
        reopened?.createLead(build('L-BBBBB')(makeIncoming(1))) ?? Promise.resolve(),
        ConflictError,
      );
    });
  });
}

describe('the store contract: two writers on one backend', () => {
  it('embedded: a second store on the same folder is refused (one process per DATA_DIR)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'contract-two-'));
    const first = await LowdbStore.open(dir);
    try {
      await assert.rejects(LowdbStore.open(dir), /is in use by process/);
    } finally {
      await first.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
