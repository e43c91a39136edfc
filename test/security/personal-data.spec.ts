import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import { createConsoleLogger, type Logger, requestScope } from '../../src/log.js';
import { alex, cardActionActivity, channelMessage, megan } from '../fakes/activities.js';
import type { FakeConnector } from '../fakes/fake-connector.js';
import { leadFixture } from '../fixtures/load.js';
import { type Harness, TeamsHarness } from '../http/harness.js';

const EMAIL = 'avery.lindqvist@contoso.example.com';

/** The app's own logger, its JSON lines kept here instead of written to stderr. */
function collectingLogger(lines: string[]): Logger {
  return createConsoleLogger({ write: (line) => lines.push(line) });
}

function cardText(card: unknown): string {
  return JSON.stringify(card);
}

describe('personal data', () => {
  let connector: FakeConnector;
  let harness: Harness;
  const logs: string[] = [];
  let clock = Date.parse('2026-11-24T10:00:00Z');

  let teams: TeamsHarness;

  async function start(env: Record<string, string> = {}) {
    teams = await TeamsHarness.start({
      env: { MANAGERS: 'alexw@contoso.com', ...env },
      app: { log: collectingLogger(logs), now: () => new Date(clock) },
    });
    ({ connector, harness } = teams);
    return teams.postedLead();
  }
  afterEach(async () => {
    await teams.stop();
    logs.length = 0;
    clock = Date.parse('2026-11-24T10:00:00Z');
  });

  async function click(lead: Lead, verb: string, from = megan, data: Record<string, unknown> = {}) {
    const response = await harness.postActivity(
      cardActionActivity(connector.url, {
        threadId: lead.deliveries[0]?.threadId as string,
        activityId: lead.deliveries[0]?.activityId as string,
        verb,
        data: { leadId: lead.id, version: lead.version, ...data },
        from,
      }),
    );
    return cardText(((await response.json()) as { value: unknown }).value);
  }

  it('logs e-mail and phone only redacted', async () => {
    await start();
    const all = logs.join('\n');
    assert.match(all, /a\*\*\*@contoso\.example\.com/);
    assert.doesNotMatch(all, /avery\.lindqvist|555 0142|Lindqvist/);
  });

  it('logs no personal data even when a whole lead is logged by mistake', async () => {
    const lead = await start();
    const lines: string[] = [];
    const log = collectingLogger(lines);
    log.warn(`lead ${lead.id} for ${lead.customer.email}`, { lead });
    requestScope.run({ requestId: 'req-1' }, () =>
      log.error('lead', { customer: lead.customer, raw: lead.raw }),
    );
    assert.equal(lines.length, 2);
    assert.doesNotMatch(lines.join('\n'), /avery|lindqvist|555 0142|contoso manufacturing|300 field/i);
  });

  it('with CONTACT_VISIBILITY=owner shows e-mail and phone only to the owner and managers', async () => {
    const lead = await start({ CONTACT_VISIBILITY: 'owner' });
    const posted = cardText(connector.channelPosts().at(-1)?.body);
    assert.doesNotMatch(posted, /avery\.lindqvist|555 0142/, 'not on the channel card');
    assert.match(posted, /shown to the lead’s owner and managers/);
    await click(lead, 'lead.claim');
    const claimed = (await harness.app.store.getLead(lead.id)) as Lead;
    assert.match(
      await click(claimed, 'lead.refresh', megan),
      /mailto:avery\.lindqvist/,
      'the owner sees them',
    );
    assert.match(
      await click(claimed, 'lead.refresh', alex),
      /mailto:avery\.lindqvist/,
      'a manager sees them',
    );
    const other = { id: '29:guest', aadObjectId: 'aad-guest', name: 'Gina Guest' };
    assert.doesNotMatch(await click(claimed, 'lead.refresh', other), /avery\.lindqvist/);
  });

  it('erases a person on “forget <e-mail>” by a manager, updates the card, and keeps an audit entry without the data', async () => {
    const lead = await start();
    await harness.postActivity(channelMessage(connector.url, `forget ${EMAIL}`, megan));
    await connector.waitFor((r) => r.kind === 'post' && /Only managers/.test(r.body.text ?? ''));
    assert.equal(
      (await harness.app.store.getLead(lead.id))?.customer.email,
      EMAIL,
      'a non-manager changes nothing',
    );

    await harness.postActivity(channelMessage(connector.url, `forget ${EMAIL.toUpperCase()}`, alex));
    await connector.waitFor(
      (r) => r.kind === 'post' && /Erased the personal data of 1 lead/.test(r.body.text ?? ''),
    );
    const erased = (await harness.app.store.getLead(lead.id)) as Lead;
    assert.deepEqual(Object.values(erased.customer).filter(Boolean), []);
    assert.equal(erased.raw, '');
    assert.equal(erased.description, '');
    assert.doesNotMatch(JSON.stringify(erased), /avery|lindqvist|contoso manufacturing|555/i);
    assert.deepEqual(erased.history.at(-1), {
      at: '2026-11-24T10:00:00.000Z',
      by: { aadObjectId: 'aad-alex', name: 'Alex Wilber' },
      action: 'erase',
      note: 'request',
    });
    const update = await connector.waitFor(
      (r) => r.kind === 'update' && /Personal data erased/.test(cardText(r.body)),
    );
    assert.doesNotMatch(cardText(update.body), /avery/i);
    assert.doesNotMatch(logs.join('\n'), /avery\.lindqvist/);
  });

  it('erases personal data of leads closed longer than RETENTION_DAYS, and nothing else', async () => {
    const closedLong = await start({ RETENTION_DAYS: '30' });
    let lead = closedLong;
    lead = await harness.app.store.saveLead(
      {
        ...lead,
        status: 'lost',
        history: [
          ...lead.history,
          {
            at: new Date(clock).toISOString(),
            by: { aadObjectId: 'aad-megan', name: 'Megan Bowen' },
            action: 'lost',
            from: 'new',
            to: 'lost',
          },
        ],
      },
      lead.version,
    );
    const open = (await (await harness.postLead(leadFixture('get-it-now'))).json()) as { id: string };
    clock += 20 * 86_400_000;
    const recent = (await (await harness.postLead(leadFixture('test-drive'))).json()) as { id: string };
    const recentLead = (await harness.app.store.getLead(recent.id)) as Lead;
    await harness.app.store.saveLead(
      {
        ...recentLead,
        status: 'won',
        history: [
          ...recentLead.history,
          {
            at: new Date(clock).toISOString(),
            by: { aadObjectId: 'aad-megan', name: 'Megan Bowen' },
            action: 'won',
            to: 'won',
          },
        ],
      },
      recentLead.version,
    );

    clock += 15 * 86_400_000; // 35 days after the first closed, 15 after the second
    assert.equal(await harness.app.runRetention(), 1);
    assert.equal((await harness.app.store.getLead(lead.id))?.erased?.reason, 'retention');
    assert.equal((await harness.app.store.getLead(open.id))?.erased, undefined, 'open leads are kept');
    assert.equal((await harness.app.store.getLead(recent.id))?.erased, undefined, 'closed too recently');
    assert.equal(await harness.app.runRetention(), 0, 'once');
  });
});
