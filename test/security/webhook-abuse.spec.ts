import assert from 'node:assert/strict';
import { FailedAuthLimiter } from '../../src/http/failed-auth-limiter.js';
import { leadFixture } from '../fixtures/load.js';
import { Harness } from '../http/harness.js';

describe('webhook abuse', () => {
  it('answers 429 to a source after 20 wrong keys a minute, yet still takes a lead with the right key', async () => {
    const harness = await Harness.start();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++)
        statuses.push((await harness.postLead('{}', { key: `wrong-${i}-0123456789` })).status);
      assert.deepEqual(statuses.slice(0, 20), Array(20).fill(401));
      const limited = await harness.postLead('{}', { key: 'wrong-again-0123456789' });
      assert.equal(limited.status, 429);
      assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
      const real = await harness.postLead(leadFixture('contact-me'));
      assert.equal(real.status, 202, 'an authenticated lead is never rate limited');
    } finally {
      await harness.stop();
    }
  });

  it('counts wrong keys on every keyed route together: the CRM link and the import give no extra guesses', async () => {
    const harness = await Harness.start();
    try {
      const wrong = (i: number) => ({ 'x-leads-key': `wrong-${i}-0123456789` });
      const routes = [
        () => harness.postLead('{}', { key: 'wrong-lead-0123456789' }),
        (i: number) =>
          fetch(`${harness.url}/api/leads/L-AAAAA/crm`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', ...wrong(i) },
            body: '{}',
          }),
        (i: number) =>
          fetch(`${harness.url}/api/leads/import`, {
            method: 'POST',
            headers: { 'content-type': 'text/csv', ...wrong(i) },
            body: 'a,b\n',
          }),
      ];
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++)
        statuses.push((await (routes[i % 3] as (i: number) => Promise<Response>)(i)).status);
      assert.deepEqual(statuses.slice(0, 20), Array(20).fill(401));
      assert.equal(statuses[20], 429, 'the 21st wrong key, whichever route, is over the limit');
    } finally {
      await harness.stop();
    }
  });

  it('forgets failures after the window', () => {
    const limiter = new FailedAuthLimiter(2, 60_000);
    assert.equal(limiter.fail('a', 0), undefined);
    assert.equal(limiter.fail('a', 1000), undefined);
    assert.equal(limiter.fail('a', 2000), 58);
    assert.equal(limiter.fail('b', 2000), undefined, 'per source');
    assert.equal(limiter.fail('a', 62_000), undefined);
  });

  it('has the bot endpoint refuse an activity without a valid token when an app id is set', async () => {
    const harness = await Harness.start({
      ALLOW_UNAUTHENTICATED_BOT: 'false',
      MicrosoftAppId: '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555555',
    });
    try {
      const activity = {
        type: 'message',
        text: 'help',
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:9/',
        conversation: { id: 'x' },
        from: { id: 'u' },
        recipient: { id: 'b' },
      };
      const missing = await harness.postActivity(activity);
      assert.equal(missing.status, 401);
      // A token that is there but invalid is refused before botbuilder, whose CloudAdapter.process
      // would print the AuthenticationError's stack with console.error for every forgery.
      const printed: unknown[] = [];
      const consoleError = console.error;
      console.error = (...args: unknown[]) => printed.push(...args);
      let garbled: Response;
      try {
        garbled = await fetch(`${harness.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.jwt' },
          body: JSON.stringify(activity),
        });
      } finally {
        console.error = consoleError;
      }
      assert.equal(garbled.status, 401);
      assert.deepEqual(printed, [], 'a forged token is one warning line, not a stack trace');
    } finally {
      await harness.stop();
    }
  });
});
