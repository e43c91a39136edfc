import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import {
  alex,
  cardActionActivity,
  channelMessage,
  installActivity,
  LEADS_CHANNEL_ID,
} from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import { FakeConnector } from '../fakes/fake-connector.js';
import { leadFixture } from '../fixtures/load.js';
import { Harness, TeamsHarness } from '../http/harness.js';

describe('cards Teams refuses or delays', () => {
  let connector: FakeConnector;
  let harness: Harness;
  let teams: TeamsHarness;
  beforeEach(async () => {
    teams = await TeamsHarness.start({ env: { MANAGERS: 'alexw@contoso.com' } });
    ({ connector, harness } = teams);
  });
  afterEach(() => teams.stop());

  const postsOf = (id: string) =>
    connector.channelPosts().filter((r) => cardText(r.body.activity).includes(id));

  it('honours Retry-After on a 429 and posts once', async () => {
    connector.failNext(1, 429, { kind: 'create', retryAfterSeconds: 1 });
    const started = Date.now();
    const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
    await connector.waitFor((r) => r.kind === 'create' && cardText(r.body.activity).includes(id), 5000);
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    assert.equal(postsOf(id).length, 1);
  });

  it('rides out a Teams outage (12 × 503 in a row, each attempt paced too) and posts once it is back', async () => {
    connector.failNext(12, 503, { kind: 'create' });
    const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
    await connector.waitFor((r) => r.kind === 'create' && cardText(r.body.activity).includes(id), 10_000);
    await harness.app.outbox.settled();
    assert.equal(connector.failuresAnswered, 12);
    const delivery = ((await harness.app.store.getLead(id)) as Lead).deliveries[0];
    assert.deepEqual([delivery?.state, delivery?.attempts], ['posted', 13]);
    assert.equal(postsOf(id).length, 1);
  });

  it('holds every lead of a long outage and posts each once, in arrival order, when Teams is back', async function () {
    this.timeout(20_000);
    connector.failNext(Number.POSITIVE_INFINITY, 503, { kind: 'create' }); // down until we say so
    const ids: string[] = [];
    for (const kind of ['contact-me', 'azure-portal-create', 'test-drive', 'get-it-now'] as const)
      ids.push(((await (await harness.postLead(leadFixture(kind))).json()) as { id: string }).id);
    await connector.waitForFailures(16); // four tries a card: backoff, and pacing, both ran
    connector.clearFailures();
    for (const id of ids)
      await connector.waitFor((r) => r.kind === 'create' && cardText(r.body.activity).includes(id), 10_000);
    await harness.app.outbox.settled();
    assert.deepEqual(
      ids.map((id) => postsOf(id).length),
      [1, 1, 1, 1],
    );
    const order = connector
      .channelPosts()
      .map((r) => ids.findIndex((id) => cardText(r.body.activity).includes(id)))
      .filter((i) => i >= 0);
    assert.deepEqual(order, [0, 1, 2, 3]);
  });

  it('brings a card up to date later when Teams refused its update, and owes nothing after', async function () {
    this.timeout(10_000);
    const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
    await connector.waitFor((r) => r.kind === 'create' && cardText(r.body.activity).includes(id));
    await harness.app.outbox.settled();
    const posted = (await harness.app.store.getLead(id)) as Lead;
    const { activityId, threadId } = posted.deliveries[0] ?? {};
    // A blip just as somebody claims it from a copy of the card in a chat: the channel card's
    // update fails.
    connector.failNext(1, 503, { kind: 'update', activityId: activityId as string });
    const click = await harness.postActivity(
      cardActionActivity(connector.url, {
        threadId: threadId as string,
        activityId: 'copy-in-a-chat',
        verb: 'lead.claim',
        data: { leadId: id, version: posted.version },
      }),
    );
    assert.match(cardText(((await click.json()) as { value: unknown }).value), /Claimed by Megan Bowen/);
    await connector.waitForFailures(1); // the outbox's first try, after the answer
    assert.equal(connector.failuresAnswered, 1, 'the channel card was not updated at first');
    assert.ok(((await harness.app.store.getLead(id)) as Lead).deliveries[0]?.nextAttemptAt, 'owed');

    const update = await connector.waitFor((r) => r.kind === 'update' && r.activityId === activityId, 8000);
    assert.match(cardText(update.body), /Claimed by Megan Bowen/);
    await harness.app.outbox.settled();
    const delivery = ((await harness.app.store.getLead(id)) as Lead).deliveries[0];
    assert.deepEqual([delivery?.state, delivery?.nextAttemptAt], ['posted', undefined]);
    assert.equal(connector.updates().filter((r) => r.activityId === activityId).length, 1, 'updated once');
  });

  it('marks a card failed when the bot was removed (403), tells the managers, and posts it when the bot is back', async () => {
    connector.failNext(1, 403, { kind: 'create' });
    const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
    const told = await connector.waitFor(
      (r) => r.kind === 'post' && /could not be posted: Teams refused it \(403\)/.test(r.body.text ?? ''),
    );
    assert.match(String(told.conversationId), /personal-29:alex/);
    await harness.app.outbox.settled();
    assert.equal(((await harness.app.store.getLead(id)) as Lead).deliveries[0]?.state, 'failed');
    assert.equal(
      ((await (await fetch(`${harness.url}/healthz`)).json()) as { failedDeliveries: number })
        .failedDeliveries,
      1,
    );
    assert.equal(postsOf(id).length, 0);

    await harness.postActivity(installActivity(connector.url)); // re-added to the team
    await connector.waitFor((r) => r.kind === 'create' && cardText(r.body.activity).includes(id));
    await harness.app.outbox.settled();
    assert.equal(((await harness.app.store.getLead(id)) as Lead).deliveries[0]?.state, 'posted');
    assert.equal(postsOf(id).length, 1);
  });

  it('posts to a new lead channel what a deleted channel (404) refused', async () => {
    connector.failNext(1, 404, { kind: 'create' });
    const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
    await connector.waitFor((r) => r.kind === 'post' && /could not be posted/.test(r.body.text ?? ''));
    const other = '19:new-leads@thread.tacv2';
    await harness.postActivity(channelMessage(connector.url, 'use this channel for leads', alex, other));
    const post = await connector.waitFor(
      (r) => r.kind === 'create' && cardText(r.body.activity).includes(id),
    );
    assert.equal(post.body.channelData.channel.id, other);
  });
});

describe('a burst bigger than Teams lets through quickly', () => {
  it('gets one backlog notice in the channel before its cards', async () => {
    const connector = await FakeConnector.start({ channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }] });
    const harness = await Harness.start({}, { backlogNoticeAt: 5 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const body = leadFixture('contact-me').replace('avery.lindqvist@', `wave${i}@`);
        ids.push(((await (await harness.postLead(body)).json()) as { id: string }).id);
      }
      await harness.postActivity(installActivity(connector.url)); // the channel exists: 6 cards to go at once
      for (const id of ids)
        await connector.waitFor((r) => r.kind === 'create' && cardText(r.body.activity).includes(id), 10_000);
      const creates = connector.channelPosts();
      const notices = creates.filter((r) => /6 new leads are on their way/.test(r.body.activity.text ?? ''));
      assert.equal(notices.length, 1);
      const firstCard = creates.findIndex((r) => ids.some((id) => cardText(r.body.activity).includes(id)));
      assert.ok(
        creates.indexOf(notices[0] as (typeof creates)[number]) < firstCard,
        'the notice comes first',
      );
    } finally {
      await harness.stop();
      await connector.close();
    }
  });
});
