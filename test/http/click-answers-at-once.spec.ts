import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lead } from '../../src/leads/lead.js';
import { alex, cardActionActivity, installActivity, LEADS_CHANNEL_ID } from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import { FakeConnector, type RecordedRequest } from '../fakes/fake-connector.js';
import { exited, SERVER_SECRET, type ServerProcess, startServer } from '../fakes/server-process.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness } from './harness.js';

// A click's answer carries the clicker's card at once; the channel card's update and the new
// owner's personal notice go through the outbox after it, saved with the change, so neither a
// stalled Teams nor a crash in between loses them.

/** What Teams stalls here: card updates and new personal chats (the owner's notice). */
const afterTheAnswer = (r: RecordedRequest) =>
  r.kind === 'update' || (r.kind === 'create' && !!r.body?.members);

/** The answer, or a failure naming what it waited for (a bound, not a pause: it resolves at once when right). */
function answeredWithin<T>(answer: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the click was not answered within ${ms} ms: it waited for Teams`)),
      ms,
    );
  });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

const isNoticeTo = (r: RecordedRequest) =>
  r.kind === 'post' && /Alex Wilber assigned this lead to you/.test(r.body?.text ?? '');

describe('a click answers at once; the cards and the new owner follow through the outbox', () => {
  let teams: TeamsHarness;
  afterEach(() => teams.stop());

  it('answers an assignment while Teams stalls every update; the channel card and the owner’s notice arrive once it is released', async () => {
    teams = await TeamsHarness.start();
    const { connector, harness } = teams;
    const lead = await teams.postedLead();
    const delivery = lead.deliveries[0];
    const stall = connector.stall(afterTheAnswer);
    try {
      const response = await answeredWithin(
        harness.postActivity(
          cardActionActivity(connector.url, {
            threadId: delivery?.threadId as string,
            activityId: delivery?.activityId as string,
            verb: 'lead.assign',
            data: { leadId: lead.id, version: lead.version, assignee: 'aad-megan' },
            from: alex,
          }),
        ),
        5000,
      );
      assert.equal(response.status, 200);
      const answer = (await response.json()) as { value: unknown };
      assert.match(
        cardText(answer.value),
        /Assigned to Megan Bowen by Alex Wilber/,
        'the clicker’s card, at once',
      );

      await stall.waitForHeld(1); // the outbox is at Teams now, and Teams does not answer
      const saved = (await harness.app.store.getLead(lead.id)) as Lead;
      assert.equal(saved.ownerNotice?.state, 'owed', 'the owner’s notice is on disk, owed');
      assert.ok(saved.deliveries[0]?.nextAttemptAt, 'the channel card’s update is on disk, owed');
      assert.equal(
        connector.updates().filter((r) => r.activityId === delivery?.activityId).length,
        0,
        'nothing reached the channel card yet',
      );
      assert.equal(connector.requests.filter(isNoticeTo).length, 0, 'nor the owner');
    } finally {
      stall.release();
    }
    await teams.delivered();
    const update = connector
      .updates()
      .filter((r) => r.activityId === delivery?.activityId)
      .at(-1);
    assert.match(cardText(update?.body), /Assigned to Megan Bowen by Alex Wilber/, 'everyone’s card');
    assert.doesNotMatch(cardText(update?.body), /couldn’t message them/);
    assert.equal(connector.requests.filter(isNoticeTo).length, 1, 'the owner is told once');
    const settled = (await harness.app.store.getLead(lead.id)) as Lead;
    assert.equal(settled.ownerNotice?.state, 'told');
    assert.equal(settled.deliveries[0]?.nextAttemptAt, undefined, 'nothing owed any more');
    assert.equal((await harness.app.store.listOwedUpdates()).length, 0);
  });

  it('tells the new owner after Teams blinks (503), and the cards never say they were not told', async () => {
    teams = await TeamsHarness.start();
    const { connector, harness } = teams;
    const lead = await teams.postedLead();
    const delivery = lead.deliveries[0];
    connector.failNext(1, 503, { kind: 'create' }); // the personal chat, on the first try
    const response = await harness.postActivity(
      cardActionActivity(connector.url, {
        threadId: delivery?.threadId as string,
        activityId: delivery?.activityId as string,
        verb: 'lead.assign',
        data: { leadId: lead.id, version: lead.version, assignee: 'aad-megan' },
        from: alex,
      }),
    );
    assert.equal(response.status, 200);
    await connector.waitForFailures(1);
    await connector.waitFor(isNoticeTo); // tried again after the backoff
    await teams.delivered();
    const stored = (await harness.app.store.getLead(lead.id)) as Lead;
    assert.equal(stored.ownerNotice?.state, 'told');
    for (const update of connector.updates().filter((r) => r.activityId === delivery?.activityId))
      assert.doesNotMatch(cardText(update.body), /couldn’t message them/);
    assert.equal(connector.requests.filter(isNoticeTo).length, 1, 'told once');
  });

  it('updates the clicked copy (a card outside the lead’s posted ones) after the answer, as everyone sees it', async () => {
    teams = await TeamsHarness.start();
    const { connector, harness } = teams;
    const lead = await teams.postedLead();
    const response = await harness.postActivity(
      cardActionActivity(connector.url, {
        threadId: lead.deliveries[0]?.threadId as string,
        activityId: 'copy-1', // e.g. the card a `lead <id>` answered with, in the thread
        verb: 'lead.claim',
        data: { leadId: lead.id, version: lead.version },
      }),
    );
    assert.equal(response.status, 200);
    const copy = await connector.waitFor((r) => r.kind === 'update' && r.activityId === 'copy-1');
    assert.equal(copy.conversationId, lead.deliveries[0]?.threadId, 'in the conversation it was clicked in');
    assert.match(cardText(copy.body), /Claimed by Megan Bowen/);
  });

  it('loses no change clicked while the previous click’s update is at Teams: the card ends on the latest', async () => {
    teams = await TeamsHarness.start();
    const { connector, harness } = teams;
    const lead = await teams.postedLead();
    const delivery = lead.deliveries[0];
    const click = (verb: string, version: number) =>
      harness.postActivity(
        cardActionActivity(connector.url, {
          threadId: delivery?.threadId as string,
          activityId: delivery?.activityId as string,
          verb,
          data: { leadId: lead.id, version },
        }),
      );
    const stall = connector.stall((r) => r.kind === 'update');
    try {
      assert.equal((await click('lead.claim', lead.version)).status, 200);
      await stall.waitForHeld(1); // the claim's update is at Teams
      assert.equal((await click('lead.qualify', lead.version + 1)).status, 200);
    } finally {
      stall.release();
    }
    await teams.delivered();
    const update = connector
      .updates()
      .filter((r) => r.activityId === delivery?.activityId)
      .at(-1);
    assert.match(
      cardText(update?.body),
      /Qualified/,
      'the update that showed the claim did not settle the qualify',
    );
  });
});

describe('a restart between a click’s answer and its updates', function () {
  this.timeout(60_000);

  it('still updates the channel card and tells the new owner (lowdb, kill -9)', async () => {
    const connector = await FakeConnector.start({ channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }] });
    const dataDir = await mkdtemp(join(tmpdir(), 'click-crash-'));
    // A short lease: the restarted process takes the background work over in seconds.
    const env = { LEASE_TTL_SECONDS: '3' };
    let server: ServerProcess = await startServer(dataDir, env);
    const post = (path: string, body: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-leads-key': SERVER_SECRET },
        body,
      });
    try {
      await post('/api/messages', JSON.stringify(installActivity(connector.url)));
      const { id } = (await (await post('/api/leads', leadFixture('contact-me'))).json()) as { id: string };
      const card = await connector.waitFor(
        (r) => r.kind === 'create' && cardText(r.body?.activity).includes(id),
        20_000,
      );
      const { id: threadId, activityId } = card.answer as { id: string; activityId: string };
      const version = Number(/"version":(\d+)/.exec(JSON.stringify(card.body))?.[1]);

      const stall = connector.stall(afterTheAnswer);
      const response = await answeredWithin(
        post(
          '/api/messages',
          JSON.stringify(
            cardActionActivity(connector.url, {
              threadId,
              activityId,
              verb: 'lead.assign',
              data: { leadId: id, version, assignee: 'aad-megan' },
              from: alex,
            }),
          ),
        ),
        5000,
      );
      assert.match(
        cardText(((await response.json()) as { value: unknown }).value),
        /Assigned to Megan Bowen/,
      );
      await stall.waitForHeld(1); // the outbox is at Teams with the owner's notice
      server.child.kill('SIGKILL');
      await exited(server.child);
      stall.release(); // the killed process's calls never arrive
      assert.equal(connector.requests.filter(isNoticeTo).length, 0, 'nobody was told before the crash');
      assert.equal(connector.updates().length, 0, 'no card was updated before the crash');

      server = await startServer(dataDir, env);
      const update = await connector.waitFor(
        (r) =>
          r.kind === 'update' &&
          r.activityId === activityId &&
          /Assigned to Megan Bowen/.test(cardText(r.body)),
        20_000,
      );
      assert.doesNotMatch(cardText(update.body), /couldn’t message them/);
      await connector.waitFor(isNoticeTo, 20_000);
    } finally {
      server.child.kill('SIGKILL');
      await exited(server.child);
      await connector.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
