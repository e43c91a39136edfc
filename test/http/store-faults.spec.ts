import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { cardActionActivity } from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import type { FakeConnector, RecordedRequest } from '../fakes/fake-connector.js';
import { FaultyDisk } from '../fakes/faulty-disk.js';
import { leadFixture } from '../fixtures/load.js';
import { type Harness, TeamsHarness } from './harness.js';

const cardOf = (r: RecordedRequest) => (r.body.activity ?? r.body).attachments[0].content;

describe('a full disk, through the webhook and the channel', () => {
  let connector: FakeConnector;
  let harness: Harness;
  let storeDir: string;
  const disk = new FaultyDisk();

  let teams: TeamsHarness;
  beforeEach(async () => {
    storeDir = await mkdtemp(join(tmpdir(), 'faulty-store-'));
    teams = await TeamsHarness.start({
      app: { store: await LowdbStore.open(storeDir, { openLog: disk.openLog }) },
    });
    ({ connector, harness } = teams);
  });
  afterEach(async () => {
    disk.full = false;
    await teams.stop();
    await rm(storeDir, { recursive: true, force: true });
  });

  const leadCards = () => connector.channelPosts().filter((r) => /L-[2-9A-Z]{5}/.test(cardText(cardOf(r))));
  const health = async () => {
    const response = await fetch(`${harness.url}/healthz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers 503 with Retry-After, keeps and posts nothing, says degraded, and takes the retry once', async () => {
    const first = await harness.postLead(leadFixture('contact-me'));
    assert.equal(first.status, 202);
    await harness.app.outbox.settled();
    assert.equal(leadCards().length, 1);

    disk.full = true;
    const refused = await harness.postLead(leadFixture('get-it-now'));
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '60');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'storage_unavailable');
    assert.match(body.error.message, /Nothing was kept; send it again/);
    const sick = await health();
    assert.equal(sick.status, 503);
    assert.equal(sick.body.status, 'degraded');
    assert.match(String(sick.body.reason), /ENOSPC/);
    assert.equal(sick.body.leads, 1);

    harness.app.outbox.kick();
    await harness.app.outbox.settled();
    assert.equal(leadCards().length, 1, 'no card for a lead answered 503');

    disk.full = false;
    const retried = await harness.postLead(leadFixture('get-it-now'));
    assert.equal(retried.status, 202);
    const { id, status } = (await retried.json()) as { id: string; status: string };
    assert.equal(status, 'accepted', 'a new lead, not a duplicate of one never kept');
    await harness.app.outbox.settled();
    assert.deepEqual(
      leadCards().map((r) => cardText(cardOf(r)).includes(id)),
      [false, true],
    );
    const well = await health();
    assert.deepEqual([well.status, well.body.status, well.body.leads], [200, 'ok', 2]);
  });

  it('answers a click it cannot save with a message that says so, and changes nothing', async () => {
    const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
    await harness.app.outbox.settled();
    const lead = await harness.app.store.getLead(id);
    const delivery = lead?.deliveries[0];
    disk.full = true;
    const response = await harness.postActivity(
      cardActionActivity(connector.url, {
        threadId: delivery?.threadId as string,
        activityId: delivery?.activityId as string,
        verb: 'lead.claim',
        data: { leadId: id, version: 1 },
      }),
    );
    const body = (await response.json()) as { type: string; value: unknown };
    assert.equal(body.type, 'application/vnd.microsoft.activity.message');
    assert.match(String(body.value), /could not save that just now .* nothing was changed/);
    disk.full = false;
    const after = await harness.app.store.getLead(id);
    assert.deepEqual([after?.status, after?.version, after?.owner], ['new', 1, undefined]);
  });
});
