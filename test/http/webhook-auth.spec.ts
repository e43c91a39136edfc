import assert from 'node:assert/strict';
import { isValidWebhookKey } from '../../src/http/webhook-auth.js';

describe('isValidWebhookKey', () => {
  const secrets = ['new-secret-0123456789', 'old-secret-0123456789'];

  it('accepts either secret during a rotation', () => {
    assert.equal(isValidWebhookKey('new-secret-0123456789', secrets), true);
    assert.equal(isValidWebhookKey('old-secret-0123456789', secrets), true);
  });

  it('refuses a missing, empty, wrong, prefix or longer key', () => {
    for (const key of [undefined, '', 'new-secret', 'new-secret-01234567890', 'NEW-SECRET-0123456789']) {
      assert.equal(isValidWebhookKey(key, secrets), false, String(key));
    }
  });

  it('refuses everything when no secret is configured', () => {
    assert.equal(isValidWebhookKey('anything', []), false);
  });
});
