import assert from 'node:assert/strict';
import { alex, channelMessage } from '../fakes/activities.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness } from '../http/harness.js';

describe('Teams down while a reminder, a digest and a repeat announcement fall due', function () {
  this.timeout(20_000);

  it('delivers each once Teams is back, none twice', async () => {
    let clock = Date.parse('2026-11-24T09:00:00Z'); // a Tuesday, 09:00 in Lisbon: business hours
    const now = () => new Date(clock);
    const teams = await TeamsHarness.start({
      env: { TIME_ZONE: 'Europe/Lisbon', MANAGERS: 'alexw@contoso.com' },
      app: { now },
    });
    const { connector, harness } = teams;
    const posts = (pattern: RegExp) =>
      connector.requests.filter((r) => r.kind === 'post' && pattern.test(JSON.stringify(r.body)));
    const reminder = /Still unclaimed after/;
    const digest = /Leads summary/;
    const repeat = /same customer came back/;
    try {
      await harness.postActivity(channelMessage(connector.url, 'digest daily 10:00', alex));
      await connector.waitFor((r) => r.kind === 'post' && /Daily digest set/.test(r.body.text ?? ''));
      const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
      await connector.waitFor((r) => r.kind === 'create' && JSON.stringify(r.body).includes(id));
      await harness.app.outbox.settled();

      connector.failNext(100_000, 503); // Teams is down
      clock = Date.parse('2026-11-24T10:05:00Z'); // the digest (10:00) and the reminder (60 min) are due
      const getItNow = leadFixture('contact-me')
        .replace('"ActionCode": "PLT"', '"ActionCode": "INS"')
        .replace('SPZA-PLT', 'SPZA-INS');
      assert.equal((await harness.postLead(getItNow)).status, 202, 'the repeat is kept');
      assert.equal(await harness.app.reminders.run(), 0);
      assert.equal(await harness.app.digests.run(), 0);
      await harness.app.outbox.settled();
      assert.deepEqual([posts(reminder).length, posts(digest).length, posts(repeat).length], [0, 0, 0]);
      assert.equal(
        (await harness.app.store.getLead(id))?.repeats?.[0]?.announce,
        'owed',
        'the announcement waits',
      );

      connector.clearFailures(); // Teams is back
      clock = Date.parse('2026-11-24T10:10:00Z');
      harness.app.outbox.kick();
      assert.equal(await harness.app.reminders.run(), 1);
      assert.equal(await harness.app.digests.run(), 1);
      await harness.app.outbox.settled();
      // Later runs, and a restart, send none of them again.
      clock = Date.parse('2026-11-24T10:20:00Z');
      await harness.restart({ now });
      assert.equal(await harness.app.reminders.run(), 0);
      assert.equal(await harness.app.digests.run(), 0);
      await harness.app.outbox.settled();
      assert.deepEqual([posts(reminder).length, posts(digest).length, posts(repeat).length], [1, 1, 1]);
      assert.equal((await harness.app.store.getLead(id))?.repeats?.[0]?.announce, 'done');
    } finally {
      await teams.stop();
    }
  });

  it('gets an escalation to every manager once, when one personal chat fails at first', async () => {
    let clock = Date.parse('2026-11-24T09:00:00Z');
    const now = () => new Date(clock);
    const teams = await TeamsHarness.start({
      env: { TIME_ZONE: 'Europe/Lisbon', MANAGERS: 'alexw@contoso.com,meganb@contoso.com' },
      app: { now },
    });
    const escalations = (chat: string) =>
      teams.connector.requests.filter(
        (r) => r.kind === 'post' && r.conversationId === chat && /Escalation/.test(r.body.text ?? ''),
      );
    try {
      await teams.postedLead();
      clock = Date.parse('2026-11-24T11:00:00Z'); // 2 business hours unclaimed: escalated
      teams.connector.failNext(1, 503, { kind: 'create' }); // the first manager's chat does not open
      assert.equal(await teams.harness.app.reminders.run(), 0, 'not done while a manager is missed');
      assert.equal(escalations('a:personal-29:alex').length + escalations('a:personal-29:megan').length, 1);
      clock = Date.parse('2026-11-24T11:01:00Z');
      assert.equal(await teams.harness.app.reminders.run(), 1);
      assert.equal(await teams.harness.app.reminders.run(), 0);
      assert.deepEqual(
        [escalations('a:personal-29:alex').length, escalations('a:personal-29:megan').length],
        [1, 1],
      );
    } finally {
      await teams.stop();
    }
  });
});
