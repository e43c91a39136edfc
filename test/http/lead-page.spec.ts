// GET /leads/<id>: the lead link's page. It opens the Leads tab at the lead (the card's deep link),
// in the reader's language, and says nothing about the lead: a lead that exists, one that does not
// and a malformed id are told apart by nothing but the id in the address.
import assert from 'node:assert/strict';
import { tabDeepLink } from '../../src/leads/lead-links.js';
import { makeLead } from '../fakes/lead-factory.js';
import { Harness } from './harness.js';

const APP_ID = '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f';

const escaped = (url: string) => url.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

describe('the lead link page (/leads/<id>)', () => {
  let harness: Harness;

  before(async () => {
    // Production settings (an app id): the page has a Teams app to open.
    harness = await Harness.start({
      ALLOW_UNAUTHENTICATED_BOT: 'false',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'secret',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555555',
      BOT_DOMAIN: 'leads.contoso.com',
    });
    await harness.app.store.createLead(makeLead({ id: 'L-7K3Q9' }));
  });
  after(async () => {
    await harness.stop();
  });

  const get = (path: string, acceptLanguage = 'en-GB,en;q=0.9') =>
    fetch(`${harness.url}${path}`, { headers: { 'accept-language': acceptLanguage }, redirect: 'manual' });

  it('sends the browser to the Leads tab at that lead, and says so', async () => {
    const response = await get('/leads/L-7K3Q9');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    const html = await response.text();
    const target = escaped(tabDeepLink(APP_ID, 'L-7K3Q9'));
    assert.ok(html.includes(`<meta http-equiv="refresh" content="0; url=${target}">`), html);
    assert.ok(html.includes(`<a href="${target}">open it in Teams</a>`));
    assert.doesNotMatch(html, /<script/i);
  });

  it('shows nothing about the lead: a known id answers exactly as an unknown one', async () => {
    const known = await (await get('/leads/L-7K3Q9')).text();
    const unknown = await (await get('/leads/L-22222')).text();
    assert.equal(known.replaceAll('L-7K3Q9', 'L-?'), unknown.replaceAll('L-22222', 'L-?'));
    for (const secret of ['Avery', 'Lindqvist', 'Contoso', 'contoso.example.com', '555', 'Fabrikam'])
      assert.ok(!known.includes(secret), `the page shows "${secret}"`);
  });

  it('accepts the id as people type it (lower case, without L-, a trailing slash)', async () => {
    for (const path of ['/leads/l-7k3q9', '/leads/7K3Q9', '/leads/L-7K3Q9/']) {
      const html = await (await get(path)).text();
      assert.ok(html.includes(escaped(tabDeepLink(APP_ID, 'L-7K3Q9'))), path);
    }
  });

  it('answers 404 to an address that names no lead, without echoing it', async () => {
    for (const path of [
      '/leads/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '/leads/L-00000',
      '/leads/L-7K3Q9/more',
      '/leads/',
    ]) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      const html = await response.text();
      assert.doesNotMatch(html, /http-equiv="refresh"|<script|alert|L-00000/i, path);
      assert.match(html, /does not name a lead/);
    }
  });

  it('speaks Portuguese to a Portuguese browser, and ?lang= wins', async () => {
    const pt = await get('/leads/L-7K3Q9', 'pt-PT,pt;q=0.9');
    assert.equal(pt.headers.get('content-language'), 'pt-PT');
    assert.match(await pt.text(), /<html lang="pt-PT">[\s\S]*abra-o no Teams/);
    const en = await get('/leads/L-7K3Q9?lang=en', 'pt-PT');
    assert.match(await en.text(), /open it in Teams/);
  });

  it('in local mode (no Teams app) only says where to look', async () => {
    const local = await Harness.start();
    try {
      const response = await fetch(`${local.url}/leads/L-7K3Q9`);
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.doesNotMatch(html, /http-equiv="refresh"/);
      assert.match(html, /Open the Leads tab of Lead Assistant/);
    } finally {
      await local.stop();
    }
  });
});
