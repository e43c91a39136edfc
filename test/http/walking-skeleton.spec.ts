import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import {
  BOT_ID,
  cardActionActivity,
  channelMessage,
  installActivity,
  installationUpdateActivity,
  LEADS_CHANNEL_ID,
  TEAM_ID,
} from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import { FakeConnector, type RecordedRequest } from '../fakes/fake-connector.js';
import { leadFixture } from '../fixtures/load.js';
import { Harness } from './harness.js';

function cardOf(request: RecordedRequest): any {
  const activity = request.body.activity ?? request.body;
  return activity.attachments[0].content;
}

describe('walking skeleton: marketplace lead → channel card → claim', () => {
  let connector: FakeConnector;
  let harness: Harness;

  beforeEach(async () => {
    connector = await FakeConnector.start({ channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }] });
    harness = await Harness.start();
  });
  afterEach(async () => {
    await harness.stop();
    await connector.close();
  });

  async function install() {
    const response = await harness.postActivity(installActivity(connector.url));
    assert.equal(response.status, 200);
    return connector.waitFor(
      (r) => r.kind === 'create' && cardText(cardOf(r)).includes('Lead Assistant is ready'),
    );
  }

  async function sendLead(name: string) {
    const response = await harness.postLead(leadFixture(name));
    assert.equal(response.status, 202);
    return (await response.json()) as { id: string; status: string };
  }

  it('posts a welcome card in the channel it was installed from, once for both install events', async () => {
    const welcome = await install();
    assert.equal(welcome.body.channelData.channel.id, LEADS_CHANNEL_ID);
    assert.equal(welcome.body.isGroup, true);
    await harness.postActivity(installationUpdateActivity(connector.url));
    const installation = await harness.app.store.getInstallation(TEAM_ID);
    assert.equal(installation?.botId, BOT_ID);
    assert.deepEqual(await harness.app.store.getRouting(), {
      byStorefront: {},
      defaultChannel: { teamId: TEAM_ID, channelId: LEADS_CHANNEL_ID },
    });
    const welcomes = connector
      .channelPosts()
      .filter((r) => cardText(cardOf(r)).includes('Lead Assistant is ready'));
    assert.equal(welcomes.length, 1);
  });

  it('posts the lead as a new thread, and a claim updates everyone’s card and the store', async () => {
    await install();
    const { id, status } = await sendLead('contact-me');
    assert.equal(status, 'accepted');
    assert.match(id, /^L-[2-9A-Z]{5}$/);

    const post = await connector.waitFor((r) => r.kind === 'create' && cardText(cardOf(r)).includes(id));
    await harness.app.outbox.settled();
    assert.equal(post.body.channelData.channel.id, LEADS_CHANNEL_ID, 'posted into the lead channel');
    const posted = cardText(cardOf(post));
    for (const shown of [
      'AppSource · Contact me',
      'Fabrikam Field Service for Teams',
      'Avery Lindqvist',
      'Contoso Manufacturing',
      'pilot in Q3',
      'Not claimed yet',
      'Claim',
    ]) {
      assert.ok(posted.includes(shown), `card shows "${shown}"`);
    }
    assert.doesNotMatch(
      post.body.activity.summary,
      /avery|contoso/i,
      'no personal data in the notification text',
    );

    const stored = (await harness.app.store.getLead(id)) as Lead;
    const delivery = stored.deliveries[0];
    assert.equal(delivery?.state, 'posted');
    const activityId = delivery?.activityId as string;
    const threadId = delivery?.threadId as string;
    assert.equal(threadId, `${LEADS_CHANNEL_ID};messageid=${activityId}`);

    const click = await harness.postActivity(
      cardActionActivity(connector.url, {
        threadId,
        activityId,
        verb: 'lead.claim',
        data: { leadId: id, version: stored.version },
      }),
    );
    assert.equal(click.status, 200);
    const answer = (await click.json()) as { statusCode: number; type: string; value: unknown };
    assert.equal(answer.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(answer.value), /Claimed by Megan Bowen · \d{1,2}:\d\d [AP]M/);
    assert.ok(!cardText(answer.value).split('\n').includes('Claim'), 'no Claim button once claimed');

    const update = await connector.waitFor((r) => r.kind === 'update' && r.activityId === activityId);
    assert.match(cardText(cardOf(update)), /Claimed by Megan Bowen/);
    const claimed = await harness.app.store.getLead(id);
    assert.equal(claimed?.status, 'assigned');
    assert.equal(claimed?.owner?.name, 'Megan Bowen');

    // Durability: a new server process on the same data knows the claim and the installation.
    await harness.restart();
    const afterRestart = await harness.app.store.getLead(id);
    assert.equal(afterRestart?.status, 'assigned');
    assert.equal(afterRestart?.owner?.aadObjectId, 'aad-megan');
    const second = await sendLead('get-it-now');
    await connector.waitFor((r) => r.kind === 'create' && cardText(cardOf(r)).includes(second.id));
  });

  it('answers a click from an out-of-date card with the current card and who changed it', async () => {
    await install();
    const { id } = await sendLead('contact-me');
    await connector.waitFor((r) => r.kind === 'create' && cardText(cardOf(r)).includes(id));
    await harness.app.outbox.settled();
    const activityId = (await harness.app.store.getLead(id))?.deliveries[0]?.activityId;
    const threadId = `${LEADS_CHANNEL_ID};messageid=${activityId}`;
    const claim = (from?: any) =>
      harness.postActivity(
        cardActionActivity(connector.url, {
          threadId,
          activityId: activityId as string,
          verb: 'lead.claim',
          data: { leadId: id, version: 1 },
          ...(from ? { from } : {}),
        }),
      );
    await claim();
    const late = await claim({ id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' });
    const answer = (await late.json()) as { value: unknown };
    assert.match(
      cardText(answer.value),
      /Megan Bowen changed this at \d{1,2}:\d\d [AP]M: it is now Assigned/,
    );
    assert.equal((await harness.app.store.getLead(id))?.owner?.name, 'Megan Bowen');
  });

  it('keeps a lead that arrives before the bot is in any team, and posts it on install', async () => {
    const { id } = await sendLead('azure-portal-create');
    assert.equal(connector.channelPosts().length, 0);
    await install();
    const post = await connector.waitFor((r) => r.kind === 'create' && cardText(cardOf(r)).includes(id));
    assert.match(
      cardText(cardOf(post)),
      /^Azure portal create\n/,
      'the call to action names the storefront: said once',
    );
  });

  it('stores the Partner Center test lead without posting it, and shows a do-not-contact lead without actions', async () => {
    await install();
    const test = await sendLead('test-lead');
    assert.equal(test.status, 'test');
    const dnc = await sendLead('do-not-contact');
    const post = await connector.waitFor((r) => r.kind === 'create' && cardText(cardOf(r)).includes(dnc.id));
    const text = cardText(cardOf(post));
    assert.match(text, /asked not to be contacted/);
    assert.ok(!text.split('\n').includes('Claim'));
    assert.ok((await harness.app.store.getLead(test.id))?.isTest);
    assert.equal(connector.channelPosts().filter((r) => cardText(cardOf(r)).includes(test.id)).length, 0);
  });

  it('answers a re-delivered payload as a duplicate, with the first id', async () => {
    const first = await sendLead('contact-me');
    const again = await sendLead('contact-me');
    assert.deepEqual(again, { id: first.id, status: 'duplicate' });
    assert.equal((await harness.app.store.stats()).leads, 1);
  });

  it('attaches a repeat lead from the same buyer to the first one, with a reply in its thread', async () => {
    await install();
    const first = await sendLead('contact-me');
    await connector.waitFor((r) => r.kind === 'create' && cardText(cardOf(r)).includes(first.id));
    await harness.app.outbox.settled();
    const getItNow = leadFixture('contact-me')
      .replace('"ActionCode": "PLT"', '"ActionCode": "INS"')
      .replace('SPZA-PLT', 'SPZA-INS');
    const again = await harness.postLead(getItNow);
    assert.deepEqual(await again.json(), { id: first.id, status: 'accepted' });
    const threadId = (await harness.app.store.getLead(first.id))?.deliveries[0]?.threadId;
    const reply = await connector.waitFor((r) => r.kind === 'post' && r.conversationId === threadId);
    assert.match(reply.body.text, /same customer came back: Get it now \/ Free trial/);
    const update = await connector.waitFor(
      (r) => r.kind === 'update' && /Seen again: Get it now/.test(cardText(cardOf(r))),
    );
    assert.equal(update.activityId, (await harness.app.store.getLead(first.id))?.deliveries[0]?.activityId);
    assert.equal(
      connector.channelPosts().filter((r) => cardText(cardOf(r)).includes('Avery Lindqvist')).length,
      1,
      'one card',
    );
    const redelivered = await harness.postLead(getItNow);
    assert.deepEqual(await redelivered.json(), { id: first.id, status: 'duplicate' });
    const stored = await harness.app.store.getLead(first.id);
    assert.equal(stored?.repeats?.length, 1);
    assert.equal((await harness.app.store.stats()).leads, 1);
  });

  it('retries a post Teams refused with 503 until it lands, once', async () => {
    await install();
    connector.failNext(2, 503, { kind: 'create' });
    const { id } = await sendLead('contact-me');
    await connector.waitFor((r) => r.kind === 'create' && cardText(cardOf(r)).includes(id));
    await harness.app.outbox.settled();
    const lead = await harness.app.store.getLead(id);
    assert.equal(lead?.deliveries[0]?.state, 'posted');
    assert.equal(lead?.deliveries[0]?.attempts, 3);
    assert.equal(connector.channelPosts().filter((r) => cardText(cardOf(r)).includes(id)).length, 1);
  });

  it('delivers after a restart what it could not post before', async () => {
    await install();
    // First process: Teams is down and the retry is far off when the process stops.
    await harness.restart({ retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 1 } });
    connector.failNext(1, 503, { kind: 'create' });
    const { id } = await sendLead('contact-me');
    await harness.app.outbox.settled();
    const waiting = await harness.app.store.getLead(id);
    assert.equal(waiting?.deliveries[0]?.state, 'pending');
    assert.equal(waiting?.deliveries[0]?.attempts, 1);
    // Second process, two minutes later: it resumes from the store and posts exactly once.
    const later = () => new Date(Date.now() + 120_000);
    await harness.restart({ now: later });
    await connector.waitFor((r) => r.kind === 'create' && cardText(cardOf(r)).includes(id));
    await harness.app.outbox.settled();
    assert.equal((await harness.app.store.getLead(id))?.deliveries[0]?.state, 'posted');
    assert.equal(connector.channelPosts().filter((r) => cardText(cardOf(r)).includes(id)).length, 1);
  });

  it('shows a lead’s card on “lead <id>” and explains unknown commands', async () => {
    await install();
    const { id } = await sendLead('contact-me');
    await harness.postActivity(channelMessage(connector.url, `lead ${id.toLowerCase()}`));
    const reply = await connector.waitFor((r) => r.kind === 'post' && JSON.stringify(r.body).includes(id));
    assert.match(cardText(reply.body.attachments[0].content), /Avery Lindqvist/);
    await harness.postActivity(channelMessage(connector.url, 'lead L-ZZZZZ'));
    await connector.waitFor((r) => r.kind === 'post' && /There is no lead L-ZZZZZ/.test(r.body.text ?? ''));
    await harness.postActivity(channelMessage(connector.url, 'make me a sandwich'));
    await connector.waitFor((r) => r.kind === 'post' && /Type help/.test(r.body.text ?? ''));
  });

  it('moves leads to another channel on “use this channel for appsource leads”', async () => {
    await install();
    const other = '19:appsource@thread.tacv2';
    await harness.postActivity(
      channelMessage(connector.url, 'use this channel for appsource leads', undefined, other),
    );
    await connector.waitFor(
      (r) => r.kind === 'post' && /AppSource leads will now be posted/.test(r.body.text ?? ''),
    );
    const appSource = await sendLead('contact-me');
    const marketplace = await sendLead('get-it-now');
    const a = await connector.waitFor(
      (r) => r.kind === 'create' && cardText(cardOf(r)).includes(appSource.id),
    );
    const m = await connector.waitFor(
      (r) => r.kind === 'create' && cardText(cardOf(r)).includes(marketplace.id),
    );
    assert.equal(a.body.channelData.channel.id, other);
    assert.equal(m.body.channelData.channel.id, LEADS_CHANNEL_ID);
  });
});
