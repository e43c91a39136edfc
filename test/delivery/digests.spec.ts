import assert from 'node:assert/strict';
import { digestPeriod, latestDue, parseTime } from '../../src/leads/digest-schedule.js';
import { channelMessage, LEADS_CHANNEL_ID, megan } from '../fakes/activities.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness } from '../http/harness.js';

describe('digest schedule', () => {
  it('finds the latest due time in the zone, daily and on Mondays', () => {
    const daily = { cadence: 'daily' as const, time: '08:30' };
    assert.equal(
      latestDue(daily, new Date('2026-11-24T08:29:00Z'), 'Europe/Lisbon').toISOString(),
      '2026-11-23T08:30:00.000Z',
    );
    assert.equal(
      latestDue(daily, new Date('2026-11-24T08:30:00Z'), 'Europe/Lisbon').toISOString(),
      '2026-11-24T08:30:00.000Z',
    );
    assert.equal(
      latestDue(daily, new Date('2026-07-01T08:00:00Z'), 'Europe/Lisbon').toISOString(),
      '2026-07-01T07:30:00.000Z',
      'summer time',
    );
    const weekly = { cadence: 'weekly' as const, time: '08:30' };
    assert.equal(
      latestDue(weekly, new Date('2026-11-26T12:00:00Z'), 'UTC').toISOString(),
      '2026-11-23T08:30:00.000Z',
      'the Monday before',
    );
    const period = digestPeriod(daily, new Date('2026-11-24T08:30:00Z'), 'UTC');
    assert.deepEqual(
      [period.from.toISOString(), period.to.toISOString(), period.label],
      ['2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z', '2026-11-23'],
    );
  });

  it('reads times people type', () => {
    assert.equal(parseTime('8:30'), '08:30');
    assert.equal(parseTime('23:59'), '23:59');
    for (const bad of ['24:00', '8h30', '', '08:60']) assert.equal(parseTime(bad), undefined, bad);
  });
});

describe('digests through the server', () => {
  it('posts each due digest exactly once, also across a restart, and stops when turned off', async () => {
    let clock = Date.parse('2026-11-24T08:00:00Z');
    const now = () => new Date(clock);
    const teams = await TeamsHarness.start({ env: { TIME_ZONE: 'Europe/Lisbon' }, app: { now } });
    const { connector, harness } = teams;
    const digestPosts = () =>
      connector.requests.filter((r) => r.kind === 'post' && JSON.stringify(r.body).includes('Leads summary'));
    try {
      await harness.postLead(leadFixture('contact-me'));
      await harness.postActivity(channelMessage(connector.url, 'digest daily 8:30', megan));
      await connector.waitFor(
        (r) => r.kind === 'post' && /Daily digest set for 08:30 \(Europe\/Lisbon\)/.test(r.body.text ?? ''),
      );

      clock = Date.parse('2026-11-24T08:29:00Z');
      assert.equal(await harness.app.digests.run(), 0, 'not yet due');
      clock = Date.parse('2026-11-24T08:31:00Z');
      assert.equal(await harness.app.digests.run(), 1);
      assert.equal(await harness.app.digests.run(), 0, 'once');
      assert.equal(digestPosts()[0]?.conversationId, LEADS_CHANNEL_ID, 'a new thread in the channel');

      await harness.restart({ now });
      assert.equal(await harness.app.digests.run(), 0, 'a restart does not send it again');

      clock = Date.parse('2026-11-27T10:00:00Z'); // the bot was down for two due times
      assert.equal(await harness.app.digests.run(), 1, 'only the latest missed one');
      assert.match(JSON.stringify(digestPosts().at(-1)?.body), /Leads summary · 26 Nov 2026/);

      await harness.postActivity(channelMessage(connector.url, 'digest off', megan));
      await connector.waitFor((r) => r.kind === 'post' && /Digest turned off/.test(r.body.text ?? ''));
      clock = Date.parse('2026-11-28T09:00:00Z');
      assert.equal(await harness.app.digests.run(), 0);
      assert.equal(digestPosts().length, 2);
    } finally {
      await teams.stop();
    }
  });
});
