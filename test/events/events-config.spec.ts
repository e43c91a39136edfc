import assert from 'node:assert/strict';
import { ConfigError, readConfig } from '../../src/config/config.js';
import { newSecret } from './receiver.js';

const production = {
  MicrosoftAppId: '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f',
  MicrosoftAppPassword: 'client-secret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555555',
  LEADS_WEBHOOK_SECRET: 'a-long-enough-secret-123',
};
const local = { ALLOW_UNAUTHENTICATED_BOT: 'true' };
const FLOW = 'https://prod-12.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=KEY';

function refusal(env: Record<string, string>): string {
  try {
    readConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  return assert.fail('readConfig accepted it');
}

describe('readConfig: lead events', () => {
  it('sends none by default, and leaves contact details out unless asked', () => {
    const { events } = readConfig(production);
    assert.deepEqual(events.endpoints, []);
    assert.equal(events.contact, 'omit');
    assert.equal(
      readConfig({ ...production, BOT_DOMAIN: 'leads.contoso.com' }).events.source,
      '/lead-assistant/leads.contoso.com',
    );
  });

  it('reads https URLs and one or two whsec_ secrets', () => {
    const [a, b] = [newSecret(1), newSecret(2)];
    const { events } = readConfig({
      ...production,
      EVENTS_URL: `${FLOW}, https://hooks.zapier.com/hooks/catch/1/abc/`,
      EVENTS_SECRET: `${a},${b}`,
      EVENTS_CONTACT: 'Include',
    });
    assert.deepEqual(events.endpoints, [FLOW, 'https://hooks.zapier.com/hooks/catch/1/abc/']);
    assert.deepEqual(events.secrets, [a, b]);
    assert.equal(events.contact, 'include');
  });

  it('refuses what would send customer data in the clear or unsigned, naming the variable', () => {
    const secret = newSecret(1);
    assert.match(
      refusal({ ...production, EVENTS_URL: 'http://crm.example.com/hook', EVENTS_SECRET: secret }),
      /^EVENTS_URL: must be https/,
    );
    assert.match(
      refusal({ ...production, EVENTS_URL: 'http://127.0.0.1:7071/hook', EVENTS_SECRET: secret }),
      /^EVENTS_URL: .*only to 127\.0\.0\.1 or localhost, in local mode/,
      'loopback http outside local mode',
    );
    assert.equal(
      readConfig({ ...local, EVENTS_URL: 'http://127.0.0.1:7071/hook', EVENTS_SECRET: secret }).events
        .endpoints.length,
      1,
      'loopback http in local mode',
    );
    assert.match(
      refusal({ ...local, EVENTS_URL: 'http://10.0.0.5/hook', EVENTS_SECRET: secret }),
      /^EVENTS_URL/,
    );
    assert.match(
      refusal({ ...production, EVENTS_URL: 'not a url', EVENTS_SECRET: secret }),
      /^EVENTS_URL: entry 1 \(#[0-9a-f]{8}\) is not a URL/,
    );
    // A URL mistyped around its key: the refusal names the entry, never its text.
    const mistyped = refusal({
      ...production,
      EVENTS_URL: `${FLOW},hooks.zapier.com/hooks/catch/123/s3cr3tpath/`,
      EVENTS_SECRET: secret,
    });
    assert.match(mistyped, /^EVENTS_URL: entry 2 \(#[0-9a-f]{8}\) is not a URL/);
    assert.doesNotMatch(mistyped, /s3cr3tpath|zapier/);
    assert.match(
      refusal({ ...production, EVENTS_URL: 'https://u:p@crm.example.com/', EVENTS_SECRET: secret }),
      /^EVENTS_URL: must not carry a user name/,
    );
    assert.match(
      refusal({ ...production, EVENTS_URL: `${FLOW},${FLOW}`, EVENTS_SECRET: secret }),
      /^EVENTS_URL: lists the same URL twice/,
    );
    assert.match(refusal({ ...production, EVENTS_URL: FLOW }), /^EVENTS_SECRET: is required with EVENTS_URL/);
    assert.match(
      refusal({ ...production, EVENTS_URL: FLOW, EVENTS_SECRET: 'hunter2' }),
      /^EVENTS_SECRET: each secret must be "whsec_"/,
    );
    assert.match(
      refusal({ ...production, EVENTS_URL: FLOW, EVENTS_SECRET: 'whsec_c2hvcnQ=' }),
      /24 to 64 random bytes/,
    );
    assert.match(
      refusal({ ...production, EVENTS_URL: FLOW, EVENTS_SECRET: [1, 2, 3].map(newSecret).join(',') }),
      /^EVENTS_SECRET: takes one secret, or two/,
    );
    assert.match(
      refusal({ ...production, EVENTS_CONTACT: 'all' }),
      /^EVENTS_CONTACT: must be include or omit, got "all"/,
    );
    assert.match(
      refusal({
        ...production,
        EVENTS_URL: FLOW,
        EVENTS_SECRET: secret,
        BOT_DOMAIN: 'https://leads.contoso.com',
      }),
      /^BOT_DOMAIN: must be the bot's public host name, like leads.contoso.com, without https:\/\//,
    );
  });
});
