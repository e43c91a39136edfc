import assert from 'node:assert/strict';
import { type CryptoKey, exportSPKI, generateKeyPair, importJWK } from 'jose';
import type { Lead } from '../../src/leads/lead.js';
import { OTHER_TENANT_ID, TAB_APP_ID, TAB_TENANT_ID, unsignedToken } from '../fakes/entra.js';
import { TabHarness } from './tab-client.js';

describe('the tab’s single sign-on token', () => {
  let tab: TabHarness;
  let lead: Lead;

  before(async () => {
    tab = await TabHarness.start({ env: { BOT_DOMAIN: 'leads.contoso.com' } });
    lead = await tab.postedLead();
  });
  after(async () => {
    await tab.stop();
  });

  /** A claim with this token: refused with 401 saying `reason`, the lead unchanged, no card update. */
  async function refused(token: string | null, reason: RegExp) {
    const updates = tab.connector.updates().length;
    const claim = await tab.json(`/api/tab/leads/${lead.id}/actions`, {
      token,
      body: { verb: 'lead.claim', version: lead.version },
    });
    assert.equal(claim.status, 401);
    assert.equal(claim.body.error.code, 'unauthorized');
    assert.match(claim.body.error.message, reason);
    if (token) assert.ok(!claim.body.error.message.includes(token.split('.')[1] ?? token), 'no token echoed');
    const me = await tab.call('/api/tab/me', { token });
    assert.equal(me.status, 401);
    const stored = (await tab.store.getLead(lead.id)) as Lead;
    assert.equal(stored.version, lead.version);
    assert.equal(stored.status, 'new');
    assert.equal(tab.connector.updates().length, updates);
  }

  it('accepts a valid token, for the client id or the App ID URI, and knows the person by oid', async () => {
    for (const aud of [TAB_APP_ID, `api://leads.contoso.com/${TAB_APP_ID}`]) {
      const token = await tab.entra.mint('aad-megan', { claims: { aud } });
      const { status, body } = await tab.json('/api/tab/me', { token });
      assert.equal(status, 200, aud);
      assert.equal(body.user.oid, 'aad-megan');
      assert.equal(body.user.tid, TAB_TENANT_ID);
    }
  });

  it('refuses a request without a bearer token', async () => {
    await refused(null, /Authorization: Bearer/);
  });

  it('refuses an expired token, and one not valid yet (beyond five minutes of skew)', async () => {
    await refused(await tab.entra.mint('aad-megan', { expiresIn: -301 }), /expired/);
    await refused(await tab.entra.mint('aad-megan', { notBefore: 301 }), /not valid yet/);
  });

  it('tolerates a clock up to five minutes off', async () => {
    const late = await tab.entra.mint('aad-megan', { expiresIn: -240 });
    const early = await tab.entra.mint('aad-megan', { notBefore: 240 });
    for (const token of [late, early]) assert.equal((await tab.call('/api/tab/me', { token })).status, 200);
  });

  it('refuses a token for another app (wrong audience)', async () => {
    const token = await tab.entra.mint('aad-megan', {
      claims: { aud: 'ffffffff-0000-4000-8000-000000000000' },
    });
    await refused(token, /another app \(aud\)/);
    await refused(
      await tab.entra.mint('aad-megan', { claims: { aud: `api://evil.example/${TAB_APP_ID}` } }),
      /aud/,
    );
  });

  it('refuses a wrong issuer: v1, another authority, or not the token’s own tenant', async () => {
    for (const iss of [
      `https://sts.windows.net/${TAB_TENANT_ID}/`,
      `https://login.evil.example/${TAB_TENANT_ID}/v2.0`,
      `https://login.microsoftonline.com/${OTHER_TENANT_ID}/v2.0`,
    ])
      await refused(await tab.entra.mint('aad-megan', { claims: { iss } }), /issuer \(iss\)/);
  });

  it('refuses a token from another tenant', async () => {
    const token = await tab.entra.mint('aad-megan', {
      claims: { tid: OTHER_TENANT_ID, iss: `https://login.microsoftonline.com/${OTHER_TENANT_ID}/v2.0` },
    });
    await refused(token, /another tenant/);
  });

  it('refuses a token without the access_as_user scope (an app-only token too)', async () => {
    await refused(await tab.entra.mint('aad-megan', { claims: { scp: 'User.Read' } }), /access_as_user/);
    await refused(
      await tab.entra.mint('aad-megan', { claims: { scp: undefined, roles: ['Leads.All'] } }),
      /access_as_user/,
    );
  });

  it('refuses alg none, and HS256 signed with the public key as the secret', async () => {
    const claims = JSON.parse(
      Buffer.from((await tab.entra.mint('aad-megan')).split('.')[1] ?? '', 'base64url').toString(),
    );
    await refused(unsignedToken(claims), /RS256|well-formed/);
    const pem = await exportSPKI((await importJWK(tab.entra.publicJwk, 'RS256')) as CryptoKey);
    for (const secret of [pem, JSON.stringify(tab.entra.publicJwk)]) {
      const token = await tab.entra.mint('aad-megan', {
        header: { alg: 'HS256' },
        key: new TextEncoder().encode(secret),
      });
      await refused(token, /RS256/);
    }
  });

  it('refuses a token signed by a key the set does not publish, with its kid or another', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await refused(await tab.entra.mint('aad-megan', { key: privateKey }), /signature/);
    await refused(
      await tab.entra.mint('aad-megan', { key: privateKey, header: { kid: 'rotated-key' } }),
      /kid/,
    );
  });

  it('refetches the keys for an unknown kid at most once a minute', async () => {
    const before = tab.entra.fetches;
    const { privateKey } = await generateKeyPair('RS256');
    for (let i = 0; i < 5; i++) {
      const token = await tab.entra.mint('aad-megan', { key: privateKey, header: { kid: `unknown-${i}` } });
      assert.equal((await tab.call('/api/tab/me', { token })).status, 401);
    }
    assert.ok(tab.entra.fetches - before <= 1, `${tab.entra.fetches - before} fetches`);
  });

  it('refuses garbled tokens', async () => {
    const good = await tab.entra.mint('aad-megan');
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const flipped = `${header}.${payload.slice(0, -2)}${payload.endsWith('A') ? 'B' : 'A'}${payload.slice(-1)}.${signature}`;
    for (const token of ['abc', 'a.b.c', `${header}.${payload}`, flipped, `${header}.!!!.${signature}`])
      await refused(token, /well-formed|signature|Bearer/);
  });
});

describe('the tab’s token check when the keys cannot be fetched', () => {
  it('answers 503 with Retry-After, not 401: the token may be fine', async () => {
    const tab = await TabHarness.start();
    const token = await tab.entra.mint('aad-megan');
    await tab.entra.close(); // Entra unreachable: nothing listens there any more
    try {
      const response = await tab.call('/api/tab/me', { token });
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '30');
      assert.equal(((await response.json()) as any).error.code, 'keys_unavailable');
    } finally {
      await tab.teams.stop();
    }
  });
});
