import assert from 'node:assert/strict';
import { RateLimiter, TEAMS_THREAD_WINDOWS } from '../../src/delivery/rate-limiter.js';
import { installActivity, LEADS_CHANNEL_ID } from '../fakes/activities.js';
import { FakeConnector } from '../fakes/fake-connector.js';
import { leadFixture } from '../fixtures/load.js';
import { Harness } from '../http/harness.js';

describe('RateLimiter (Teams per-thread windows)', () => {
  it('lets 7 through in a second, then spaces sends to 8 per 2 s and 60 per 30 s', () => {
    const limiter = new RateLimiter(TEAMS_THREAD_WINDOWS);
    const sends: number[] = [];
    let now = 0;
    while (sends.length < 70) {
      const wait = limiter.reserve('thread', now);
      if (wait === 0) sends.push(now);
      else now += wait;
    }
    assert.equal(sends.filter((t) => t < 1000).length, 7);
    for (const t of sends) {
      assert.ok(sends.filter((u) => u > t - 2000 && u <= t).length <= 8, `8/2 s at ${t}`);
      assert.ok(sends.filter((u) => u > t - 30000 && u <= t).length <= 60, `60/30 s at ${t}`);
    }
    assert.ok((sends[60] ?? 0) >= 30_000, 'the 61st waits for the 30 s window');
    assert.equal(limiter.reserve('another-thread', now), 0, 'per thread');
  });
});

describe('pacing against a connector that enforces Teams limits', function () {
  this.timeout(20_000);

  it('delivers a burst into one channel with no 429 and nothing lost or doubled', async () => {
    const connector = await FakeConnector.start({
      channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }],
      enforceTeamsLimits: true,
    });
    const harness = await Harness.start();
    try {
      await harness.postActivity(installActivity(connector.url));
      const ids: string[] = [];
      for (let i = 0; i < 14; i++) {
        const body = leadFixture('contact-me').replace('avery.lindqvist@', `burst${i}@`);
        ids.push(((await (await harness.postLead(body)).json()) as { id: string }).id);
      }
      for (const id of ids)
        await connector.waitFor((r) => r.kind === 'create' && JSON.stringify(r.body).includes(id), 15_000);
      await harness.app.outbox.settled();
      assert.equal(connector.throttled, 0, 'no 429 provoked');
      const posted = connector
        .channelPosts()
        .filter((r) => ids.some((id) => JSON.stringify(r.body).includes(id)));
      assert.equal(posted.length, ids.length, 'each lead posted exactly once');
    } finally {
      await harness.stop();
      await connector.close();
    }
  });
});
