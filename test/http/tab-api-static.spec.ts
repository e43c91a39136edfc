import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_APP_ID } from '../../src/http/dev-token.js';
import { TAB_CSP } from '../../src/http/tab-static.js';
import { Harness } from './harness.js';
import { TabHarness } from './tab-client.js';

/** A GET with the path exactly as written (fetch would resolve `..` before sending). */
function rawGet(
  base: string,
  path: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          headers: res.headers,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the tab’s static files', () => {
  let dir: string;
  let harness: Harness;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tab-dist-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html><title>Leads</title><script src="app.js"></script>',
    );
    await writeFile(join(dir, 'app.js'), 'console.log("tab")');
    await writeFile(join(dir, 'assets', 'tab.css'), 'body{}');
    await writeFile(join(dir, '.env'), 'SECRET=1');
    await writeFile(join(dir, 'local-host.html'), '<!doctype html><title>Local tab host</title>');
    await writeFile(join(tmpdir(), 'outside-the-tab.txt'), 'secret');
    harness = await Harness.start({}, { tabDir: dir });
  });
  after(async () => {
    await harness.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(join(tmpdir(), 'outside-the-tab.txt'), { force: true });
  });

  it('serves /tab/ with a CSP Teams can frame, nosniff and the right types', async () => {
    const page = await fetch(`${harness.url}/tab/?inTeams=1`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.equal(csp, TAB_CSP);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/);
    assert.match(csp, /connect-src 'self'/);
    for (const host of [
      "'self'",
      'https://teams.microsoft.com',
      'https://*.teams.microsoft.com',
      'https://*.cloud.microsoft',
      'https://*.office.com',
      'https://outlook.office.com',
      'https://*.microsoft365.com',
    ])
      assert.ok(csp.split('frame-ancestors ')[1]?.split(' ').includes(host), host);
    assert.equal(page.headers.get('x-frame-options'), null, 'no X-Frame-Options to override the CSP');
    assert.match(await page.text(), /<title>Leads<\/title>/);
    const script = await fetch(`${harness.url}/tab/app.js`);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const css = await fetch(`${harness.url}/tab/assets/tab.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    const again = await fetch(`${harness.url}/tab/app.js`, {
      headers: { 'if-none-match': script.headers.get('etag') ?? '' },
    });
    assert.equal(again.status, 304);
    const bare = await fetch(`${harness.url}/tab?inTeams=1`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/tab/?inTeams=1');
  });

  it('never serves a file outside dist/tab, or a hidden one', async () => {
    for (const path of [
      '/tab/..%2f..%2fpackage.json',
      '/tab/..%2Foutside-the-tab.txt',
      '/tab/..%2F..%2F..%2Foutside-the-tab.txt',
      '/tab/%2e%2e/%2e%2e/package.json',
      '/tab/assets/..%5c..%5cpackage.json',
      '/tab/../package.json',
      '/tab/.env',
      '/tab/assets%2f..%2f.env',
      '/tab/app.js%00.html',
      '/tab/%E0%A4%A',
      '/tab/missing.js',
      '/tab/assets',
    ]) {
      const { status, body } = await rawGet(harness.url, path);
      assert.ok(status === 404 || status === 400, `${path}: ${status}`);
      assert.doesNotMatch(body, /secret|lead-assistant|"name"/i, path);
    }
  });

  it('says to run npm run build when the tab is not built', async () => {
    const bare = await Harness.start({}, { tabDir: join(dir, 'not-built') });
    try {
      const page = await fetch(`${bare.url}/tab/`);
      assert.equal(page.status, 503);
      assert.match(await page.text(), /npm run build/);
    } finally {
      await bare.stop();
    }
  });

  it('reports a missing tab build in /healthz, still ok: leads are taken and posted all the same', async () => {
    const built = (await (await fetch(`${harness.url}/healthz`)).json()) as { tab: string };
    assert.equal(built.tab, 'ok');
    const bare = await Harness.start({}, { tabDir: join(dir, 'not-built') });
    try {
      const health = await fetch(`${bare.url}/healthz`);
      assert.equal(health.status, 200);
      const body = (await health.json()) as { status: string; tab: string };
      assert.equal(body.status, 'ok');
      assert.equal(body.tab, 'missing build');
    } finally {
      await bare.stop();
    }
  });
});

describe('local-mode tokens for the local tab host', () => {
  it('exist in local mode without TAB_* settings, and the API trusts them', async () => {
    const harness = await Harness.start();
    try {
      const jwks = (await (await fetch(`${harness.url}/api/dev/jwks`)).json()) as any;
      assert.equal(jwks.keys[0].kty, 'RSA');
      assert.equal(jwks.keys[0].d, undefined, 'the public half only');
      const issued = await fetch(`${harness.url}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ oid: 'aad-megan', name: 'Megan Bowen' }),
      });
      assert.equal(issued.status, 200);
      const { token } = (await issued.json()) as { token: string };
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
      assert.equal(claims.aud, DEV_APP_ID);
      const me = await fetch(`${harness.url}/api/tab/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as any).user.oid, 'aad-megan');
      const bad = await fetch(`${harness.url}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'No oid' }),
      });
      assert.equal(bad.status, 400);
    } finally {
      await harness.stop();
    }
  });

  it('do not exist when TAB_* are set, nor the local tab host page, and a dev-shaped token is refused there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tab-dist-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Leads</title>');
    await writeFile(join(dir, 'local-host.html'), '<!doctype html><title>Local tab host</title>');
    const local = await Harness.start({}, { tabDir: dir });
    const tab = await TabHarness.start({ app: { tabDir: dir } });
    try {
      const url = tab.teams.harness.url;
      assert.equal((await fetch(`${url}/api/dev/jwks`)).status, 404);
      const issued = await fetch(`${url}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ oid: 'aad-megan', name: 'Megan' }),
      });
      assert.ok(issued.status === 404 || issued.status === 405, String(issued.status));
      const forged = await tab.entra.mint('aad-megan', { claims: { aud: DEV_APP_ID } });
      assert.equal((await tab.call('/api/tab/me', { token: forged })).status, 401);
      assert.equal((await fetch(`${local.url}/tab/local-host.html`)).status, 200, 'served in local mode');
      assert.equal((await fetch(`${url}/tab/local-host.html`)).status, 404, 'not beside a real tab');
      assert.equal((await rawGet(url, '/tab/local%2Dhost.html')).status, 404, 'nor spelt another way');
      assert.equal((await fetch(`${url}/tab/`)).status, 200);
    } finally {
      await Promise.all([tab.stop(), local.stop()]);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
