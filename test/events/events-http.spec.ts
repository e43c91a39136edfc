import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Lead } from '../../src/leads/lead.js';
import { createConsoleLogger, type Logger } from '../../src/log.js';
import { alex, cardActionActivity, channelMessage, megan, type TeamsUser } from '../fakes/activities.js';
import { type Azurite, startAzurite } from '../fakes/azurite.js';
import { cardText } from '../fakes/card-text.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness, WEBHOOK_SECRET } from '../http/harness.js';
import { type Answer, EventReceiver, newSecret } from './receiver.js';

const SECRET = newSecret(42);
const EMAIL = 'avery.lindqvist@contoso.example.com';

describe('lead events through the real server', () => {
  let teams: TeamsHarness;
  let receiver: EventReceiver;

  async function start(env: Record<string, string> = {}, options: { path?: string; log?: Logger } = {}) {
    receiver = await EventReceiver.start(SECRET, options.path);
    teams = await TeamsHarness.start({
      env: { EVENTS_URL: receiver.url, EVENTS_SECRET: SECRET, MANAGERS: 'alexw@contoso.com', ...env },
      app: {
        // A generous timeout: a short one on a busy machine would send answered events twice.
        eventRetry: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 5000, random: () => 0.5 },
        ...(options.log ? { log: options.log } : {}),
      },
    });
  }
  /** How an endpoint is shown: scheme, host and the first 8 hex digits of the whole URL's SHA-256. */
  const shown = (url: string) =>
    `${new URL(url).origin} #${createHash('sha256').update(url).digest('hex').slice(0, 8)}`;
  afterEach(async () => {
    await teams?.stop();
    await receiver?.close();
  });

  async function click(lead: Lead, verb: string, from: TeamsUser, inputs: Record<string, unknown> = {}) {
    const delivery = lead.deliveries[0];
    const response = await teams.harness.postActivity(
      cardActionActivity(teams.connector.url, {
        threadId: delivery?.threadId as string,
        activityId: delivery?.activityId as string,
        verb,
        data: { leadId: lead.id, version: lead.version, ...inputs },
        from,
      }),
    );
    assert.equal(response.status, 200);
    return (await teams.harness.app.store.getLead(lead.id)) as Lead;
  }

  const healthz = async () =>
    (await (await fetch(`${teams.harness.url}/healthz`)).json()) as {
      events: { endpoints: Array<{ url: string; state: string; owed: number; failed: number }> };
    };

  it('sends a whole walk (received → claimed → qualified → opportunity → won, a note, a CRM link, a forget) in order, once each', async () => {
    await start();
    let lead = await teams.postedLead();
    lead = await click(lead, 'lead.claim', megan);
    lead = await click(lead, 'lead.qualify', megan);
    lead = await click(lead, 'lead.opportunity', megan, {
      value: '45000',
      currency: 'EUR',
      expectedClose: '2027-03-31',
    });
    lead = await click(lead, 'lead.won', megan);
    lead = await click(lead, 'lead.note', megan, { note: 'Avery signed for 300 seats' });
    // The CRM writes its record back, as a Power Automate flow would after `lead.qualified`.
    const linked = await fetch(`${teams.harness.url}/api/leads/${lead.id}/crm`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-leads-key': WEBHOOK_SECRET },
      body: JSON.stringify({
        crmId: 'LEAD-0042',
        crmUrl: 'https://contoso.crm4.dynamics.com/main.aspx?id=42',
      }),
    });
    assert.equal(linked.status, 200);
    await teams.harness.postActivity(channelMessage(teams.connector.url, `forget ${EMAIL}`, alex));
    await receiver.waitFor(() => receiver.of(lead.id).length >= 8, 10_000, 'the walk');
    assert.deepEqual(
      receiver.of(lead.id).map((e) => e.type.replace('com.leadassistant.lead.', '')),
      ['received', 'claimed', 'qualified', 'opportunity', 'won', 'note_added', 'crm_linked', 'erased'],
    );
    assert.deepEqual(
      receiver.of(lead.id).map((e) => e.sequence),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.deepEqual(receiver.of(lead.id)[6]?.data.crm, {
      crmId: 'LEAD-0042',
      crmUrl: 'https://contoso.crm4.dynamics.com/main.aspx?id=42',
      linkedAt: receiver.of(lead.id)[6]?.data.change.at,
    });
    await teams.harness.app.events.settled();
    const ids = receiver.requests.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'each webhook-id once');
    assert.deepEqual(receiver.rejected, [], 'every signature and body checked out');
    const erased = receiver.of(lead.id).at(-1);
    assert.equal(erased?.data.erased?.reason, 'request');
    assert.doesNotMatch(erased?.body ?? '', /avery|lindqvist|contoso manufacturing|300 seats/i);
    assert.equal(erased?.data.change.by.name, 'Alex Wilber');
    assert.deepEqual((await healthz()).events.endpoints, [
      { url: shown(receiver.url), state: 'ok', owed: 0, failed: 0 },
    ]);
  });

  it('sends the same events, in order, from the Azure Table store (Azurite)', async function () {
    this.timeout(60_000);
    let azurite: Azurite | undefined;
    try {
      azurite = await startAzurite();
      await start({
        STORE: 'azure-table',
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        AZURE_TABLE_PREFIX: azurite.freshPrefix(),
      });
      let lead = await teams.postedLead();
      lead = await click(lead, 'lead.claim', megan);
      lead = await click(lead, 'lead.qualify', megan);
      lead = await click(lead, 'lead.note', megan, { note: 'Call on Monday' });
      await receiver.waitFor(() => receiver.of(lead.id).length >= 4, 20_000, 'the walk on Azure');
      await teams.harness.app.events.settled();
      assert.deepEqual(
        receiver.of(lead.id).map((e) => e.type.replace('com.leadassistant.lead.', '')),
        ['received', 'claimed', 'qualified', 'note_added'],
      );
      assert.deepEqual(receiver.rejected, [], 'every signature and body checked out');
      const ids = receiver.requests.map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, 'each webhook-id once');
      assert.deepEqual(
        (await healthz()).events.endpoints.map((e) => [e.state, e.owed, e.failed]),
        [['ok', 0, 0]],
      );
    } finally {
      await teams?.stop();
      await azurite?.dispose();
    }
  });

  it('leaves e-mail and phone out by default (EVENTS_CONTACT=omit), and sends them with include', async () => {
    await start();
    const lead = await teams.postedLead();
    await receiver.waitFor(() => receiver.of(lead.id).length >= 1);
    const [received] = receiver.of(lead.id);
    assert.equal(received?.data.customer.lastName, 'Lindqvist');
    assert.doesNotMatch(received?.body ?? '', /avery\.lindqvist@|555 0142/);
    await teams.stop();
    await receiver.close();

    await start({ EVENTS_CONTACT: 'include' });
    const again = await teams.postedLead();
    await receiver.waitFor(() => receiver.of(again.id).length >= 1);
    assert.equal(receiver.of(again.id)[0]?.data.customer.email, EMAIL);
  });

  it('keeps posting cards on time while the receiver answers 503, then hangs; once it is up every event arrives in order', async () => {
    let down = true;
    let calls = 0;
    receiver = await EventReceiver.start(SECRET);
    receiver.answer = (): Answer => {
      if (!down) return 200;
      return ++calls <= 3 ? 503 : 'hang';
    };
    teams = await TeamsHarness.start({
      env: { EVENTS_URL: receiver.url, EVENTS_SECRET: SECRET },
      app: { eventRetry: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 300, random: () => 0.5 } },
    });
    const leads: Lead[] = [];
    for (let i = 0; i < 4; i++) {
      const started = Date.now();
      const lead = await teams.postedLead(
        leadFixture('contact-me').replace('avery.lindqvist@', `outage${i}@`),
      );
      assert.ok(Date.now() - started < 2000, 'the card went out at once');
      leads.push(await click(lead, 'lead.claim', megan));
    }
    // A request left hanging is given up on after the timeout (300 ms here), and tried again.
    const deadline = Date.now() + 10_000;
    let health: Record<string, unknown> = {};
    while (!/no answer within 300 ms/.test(String(health.lastError))) {
      assert.ok(Date.now() < deadline, `no timeout seen; last: ${JSON.stringify(health)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      health = (await healthz()).events.endpoints[0] as Record<string, unknown>;
    }
    const cardsBefore = teams.connector
      .channelPosts()
      .filter((r) => leads.some((l) => cardText(r.body.activity).includes(l.id)));
    assert.equal(cardsBefore.length, 4, 'every card was posted while the receiver was down');
    assert.equal(receiver.events.length, 0);
    assert.equal(health.state, 'retrying');
    assert.equal(health.owed, 8);

    down = false; // the request hanging now times out by itself, and the next one gets through
    await receiver.waitFor(
      () => leads.every((l) => new Set(receiver.of(l.id).map((e) => e.sequence)).size >= 2),
      15_000,
      'every event after the outage',
    );
    for (const lead of leads)
      assert.deepEqual(
        // In order; an answer slower than the 300 ms timeout here may come twice, with the same id.
        [...new Set(receiver.of(lead.id).map((e) => e.id))].map((id) =>
          receiver.events
            .find((e) => e.id === id)
            ?.type.split('.')
            .at(-1),
        ),
        ['received', 'claimed'],
      );
    const lastCard = Math.max(...cardsBefore.map((r) => r.at));
    assert.ok(
      lastCard < Math.min(...receiver.events.map((e) => e.at)),
      'cards came before the receiver was up',
    );
    assert.deepEqual(receiver.rejected, []);
  });

  it('stops an endpoint that answers 410: /healthz shows it, a manager is told, nothing more goes there', async () => {
    // Zapier-style: the key is the path; the query carries another.
    const logs: string[] = [];
    await start(
      {},
      {
        path: '/hooks/catch/123456/s3cr3t-path-key/?sig=receiver-key',
        log: createConsoleLogger({ write: (line) => logs.push(line) }),
      },
    );
    receiver.answer = () => 410;
    const lead = await teams.postedLead();
    const told = await teams.connector.waitFor(
      (r) => r.kind === 'post' && /Lead events to .* have stopped/.test(r.body?.text ?? ''),
      10_000,
    );
    assert.match(told.conversationId ?? '', /personal-29:alex/, 'the manager, in personal chat');
    assert.ok(told.body.text.includes(shown(receiver.url)), told.body.text);
    assert.doesNotMatch(
      told.body.text,
      /receiver-key|s3cr3t|hooks|catch/,
      'the URL is shown without its path or key',
    );
    const health = await healthz();
    assert.deepEqual(
      health.events.endpoints.map((e) => [e.url, e.state]),
      [[shown(receiver.url), 'stopped']],
    );
    const logged = logs.find((line) => line.includes('410 Gone'));
    assert.ok(logged?.includes(shown(receiver.url)), `the stop is logged with the shown URL: ${logged}`);
    assert.doesNotMatch(
      logs.join('\n'),
      /receiver-key|s3cr3t|hooks\/catch/,
      'no log line holds the path or key',
    );
    await click(lead, 'lead.claim', megan);
    await teams.harness.app.events.settled();
    assert.equal(receiver.requests.length, 1);
    await teams.harness.restart();
    await teams.harness.app.events.settled();
    assert.deepEqual(
      (await healthz()).events.endpoints.map((e) => e.state),
      ['stopped'],
      'stopped across a restart',
    );
    assert.equal(receiver.requests.length, 1);
  });
});
