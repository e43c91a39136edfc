import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import { cardActionActivity, megan } from '../fakes/activities.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness } from '../http/harness.js';

describe('reminders through the server', () => {
  it('re-announces, escalates, nudges the owner, and respects Snooze — each once, across a restart', async () => {
    let clock = Date.parse('2026-11-24T09:00:00Z'); // a Tuesday
    const now = () => new Date(clock);
    const teams = await TeamsHarness.start({ env: { MANAGERS: 'alexw@contoso.com' }, app: { now } });
    const { connector, harness } = teams;
    const posts = (pattern: RegExp) =>
      connector.requests.filter((r) => r.kind === 'post' && pattern.test(r.body.text ?? ''));
    try {
      const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
      await connector.waitFor((r) => r.kind === 'create' && JSON.stringify(r.body).includes(id));
      await harness.app.outbox.settled();
      const threadId = (await harness.app.store.getLead(id))?.deliveries[0]?.threadId;

      clock = Date.parse('2026-11-24T09:59:00Z');
      assert.equal(await harness.app.reminders.run(), 0);
      clock = Date.parse('2026-11-24T10:00:00Z');
      assert.equal(await harness.app.reminders.run(), 1);
      const announce = posts(/Still unclaimed after 60 min/);
      assert.equal(announce.length, 1);
      assert.equal(announce[0]?.conversationId, threadId, 'in the card’s thread');
      assert.match(JSON.stringify(announce[0]?.body), /lead\.claim/, 'with the actions to act at once');
      assert.equal(await harness.app.reminders.run(), 0, 'once');
      assert.equal((await harness.app.store.getLead(id))?.version, 1, 'reminders do not make the card stale');

      clock = Date.parse('2026-11-24T11:00:00Z');
      await harness.restart({ now });
      assert.equal(await harness.app.reminders.run(), 1);
      const chat = connector.requests.find(
        (r) => r.kind === 'create' && r.body.members?.[0]?.id === '29:alex',
      );
      assert.ok(chat, 'the manager gets a personal chat');
      assert.equal(posts(/Escalation: this lead has waited 2 h/).length, 1);
      assert.equal(await harness.app.reminders.run(), 0);

      let lead = (await harness.app.store.getLead(id)) as Lead;
      const click = (verb: string) =>
        harness.postActivity(
          cardActionActivity(connector.url, {
            threadId: threadId as string,
            activityId: lead.deliveries[0]?.activityId as string,
            verb,
            data: { leadId: id, version: lead.version },
            from: megan,
          }),
        );
      await click('lead.claim');
      lead = (await harness.app.store.getLead(id)) as Lead;

      clock = Date.parse('2026-11-27T10:59:00Z');
      assert.equal(await harness.app.reminders.run(), 0, 'not 3 business days yet');
      clock = Date.parse('2026-11-27T11:01:00Z');
      assert.equal(await harness.app.reminders.run(), 1);
      const nudge = posts(/quiet for 3 business days/);
      assert.equal(nudge.length, 1);
      assert.match(JSON.stringify(nudge[0]?.body), /lead\.snooze/);

      const snoozed = (await (await click('lead.snooze')).json()) as { value: string };
      assert.match(snoozed.value, /Snoozed until/);
      clock = Date.parse('2026-11-27T15:00:00Z');
      assert.equal(await harness.app.reminders.run(), 0, 'snoozed');
      clock = Date.parse('2026-11-30T10:00:00Z');
      assert.equal(await harness.app.reminders.run(), 1, 'nudged again once the snooze is over');
    } finally {
      await teams.stop();
    }
  });
});
