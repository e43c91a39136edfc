import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fillPlaceholders } from '../../scripts/package-app.js';
import { pickPageLocale } from '../../src/http/pages.js';
import { startAzurite } from '../fakes/azurite.js';
import { Harness } from './harness.js';

// The manifest as `npm run package` fills it without APP_*_URL settings: the links point here.
const MANIFEST = JSON.parse(
  fillPlaceholders(readFileSync(new URL('../../manifest/manifest.json', import.meta.url), 'utf8'), {
    appId: '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f',
    domain: 'example.com',
  }),
);

/** The text a reader sees, roughly: tags dropped, whitespace folded. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

describe('pages the Teams manifest links to', () => {
  let harness: Harness;

  before(async () => {
    harness = await Harness.start();
  });
  after(async () => {
    await harness.stop();
  });

  const get = (path: string, acceptLanguage?: string) =>
    fetch(`${harness.url}${path}`, acceptLanguage ? { headers: { 'accept-language': acceptLanguage } } : {});

  it('serves every page the manifest points at', async () => {
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
      const path = new URL(MANIFEST.developer[key]).pathname;
      const response = await get(path);
      assert.equal(response.status, 200, `${key} → ${path}`);
    }
  });

  for (const path of ['/', '/privacy', '/terms']) {
    for (const [acceptLanguage, lang, word] of [
      ['en-GB,en;q=0.9', 'en', 'Lead Assistant is'],
      ['pt-PT,pt;q=0.9,en;q=0.5', 'pt-PT', 'Lead Assistant é'],
    ] as const) {
      it(`answers GET ${path} in ${lang} as HTML under a strict Content-Security-Policy`, async () => {
        const response = await get(path, acceptLanguage);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
        assert.equal(response.headers.get('content-language'), lang);
        assert.match(response.headers.get('vary') ?? '', /Accept-Language/);
        const csp = response.headers.get('content-security-policy') ?? '';
        assert.match(csp, /default-src 'none'/);
        assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|script-src/);
        const html = await response.text();
        assert.match(html, new RegExp(`<html lang="${lang}">`));
        assert.ok(visibleText(html).includes(word), `no "${word}" in ${path}`);
        assert.doesNotMatch(html, /<script|\son\w+=|javascript:/i, 'no script of any kind');
        assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'nothing loaded or linked from elsewhere');
      });
    }
  }

  it('keeps the inline stylesheet exactly as the CSP hash allows, with a dark scheme', async () => {
    const response = await get('/privacy');
    const html = await response.text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    assert.ok(response.headers.get('content-security-policy')?.includes(`'sha256-${hash}'`));
    assert.match(style, /prefers-color-scheme: dark/);
  });

  it('lets ?lang= override the browser language', async () => {
    const pt = await get('/terms?lang=pt-PT', 'en-US,en');
    assert.equal(pt.headers.get('content-language'), 'pt-PT');
    assert.ok(visibleText(await pt.text()).includes('Termos de utilização'));
    const en = await get('/terms?lang=en', 'pt-PT');
    assert.equal(en.headers.get('content-language'), 'en');
    assert.ok(visibleText(await en.text()).includes('Terms of use'));
  });

  it('tells the truth about personal data on the privacy page, in both languages', async () => {
    const en = visibleText(await (await get('/privacy?lang=en')).text());
    for (const fact of [
      'Partner Center',
      'DATA_DIR',
      'a***@contoso.com',
      'forget someone@example.com',
      'RETENTION_DAYS',
      'third parties',
      'No analytics',
    ])
      assert.ok(en.includes(fact), `English privacy page lacks "${fact}"`);
    const pt = visibleText(await (await get('/privacy?lang=pt-PT')).text());
    for (const fact of [
      'Partner Center',
      'DATA_DIR',
      'a***@contoso.com',
      'forget alguem@example.com',
      'RETENTION_DAYS',
      'terceiros',
      'Sem rastreio',
    ])
      assert.ok(pt.includes(fact), `Portuguese privacy page lacks "${fact}"`);
  });

  it('links each page to the same page in the other language', async () => {
    const html = await (await get('/privacy?lang=en')).text();
    assert.match(html, /href="\/privacy\?lang=pt-PT"/);
  });
});

describe('pickPageLocale', () => {
  it('follows Accept-Language by quality, then falls back to English', () => {
    assert.equal(pickPageLocale('fr-FR, pt-BR;q=0.8, en;q=0.7', null), 'pt-PT');
    assert.equal(pickPageLocale('pt;q=0.4, en-US;q=0.9', null), 'en');
    assert.equal(pickPageLocale('pt;q=0, de', null), 'en');
    assert.equal(pickPageLocale(undefined, null), 'en');
    assert.equal(pickPageLocale('garbage;;;q=x,,', null), 'en');
  });

  it('lets a known ?lang= win and ignores an unknown one', () => {
    assert.equal(pickPageLocale('en', 'pt-PT'), 'pt-PT');
    assert.equal(pickPageLocale('en', 'PT'), 'pt-PT');
    assert.equal(pickPageLocale('pt-PT', 'de'), 'pt-PT');
  });
});

describe('the privacy page follows the configuration', () => {
  const EVENTS = {
    EVENTS_URL: 'http://127.0.0.1:9/lead-events',
    EVENTS_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
  };

  /** The privacy page's visible text in both languages, from the real server started with `env`. */
  async function privacyPage(env: Record<string, string>): Promise<{ en: string; pt: string }> {
    const harness = await Harness.start(env);
    try {
      const read = async (lang: string) =>
        visibleText(await (await fetch(`${harness.url}/privacy?lang=${lang}`)).text());
      return { en: await read('en'), pt: await read('pt-PT') };
    } finally {
      await harness.stop();
    }
  }

  it('names the lead-event receivers, and says contact details stay out unless EVENTS_CONTACT=include', async () => {
    const plain = await privacyPage({});
    for (const text of [plain.en, plain.pt]) {
      for (const fact of ['Partner Center', 'Microsoft Teams', 'DATA_DIR'])
        assert.ok(text.includes(fact), `plain setup lacks "${fact}"`);
      assert.ok(!text.includes('EVENTS_URL'), 'no events are sent');
      assert.ok(!text.includes('Azure Table Storage'), 'nothing is kept in Azure');
      assert.ok(!/public keys|chaves públicas/.test(text), 'no keys are fetched');
    }
    const omit = await privacyPage(EVENTS);
    assert.ok(omit.en.includes('EVENTS_URL'));
    assert.ok(omit.en.includes('not their e-mail address or phone number'));
    assert.ok(omit.pt.includes('EVENTS_URL'));
    assert.ok(omit.pt.includes('sem o endereço de e-mail nem o número de telefone'));
    assert.ok(!omit.en.includes('only service it talks to is Microsoft Teams'));
    const include = await privacyPage({ ...EVENTS, EVENTS_CONTACT: 'include' });
    assert.ok(include.en.includes('country, e-mail address and phone number'));
    assert.ok(include.pt.includes('o endereço de e-mail e o número de telefone'));
    assert.ok(!include.en.includes('not their e-mail'));
  });

  it('says the data is in Azure Table Storage, not a data folder, with the Azure store', async function () {
    this.timeout(30_000);
    const azurite = await startAzurite();
    try {
      const { en, pt } = await privacyPage({
        STORE: 'azure-table',
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        AZURE_TABLE_PREFIX: azurite.freshPrefix(),
      });
      assert.ok(en.includes('In the Azure Table Storage account its operator configured'));
      assert.ok(pt.includes('Na conta de Azure Table Storage que o operador configurou'));
      for (const text of [en, pt]) assert.ok(!text.includes('DATA_DIR'), 'no data folder is used');
    } finally {
      await azurite.dispose();
    }
  });

  it('mentions Microsoft Entra ID when the tab checks real sign-ins', async () => {
    const { en, pt } = await privacyPage({
      TAB_APP_ID: '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f',
      TAB_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      TAB_JWKS_URL: 'http://127.0.0.1:9/keys',
    });
    assert.ok(en.includes('only to fetch the public keys that check sign-ins'));
    assert.ok(pt.includes('só para obter as chaves públicas'));
  });
});
