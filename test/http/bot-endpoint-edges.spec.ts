// What /api/messages and /api/dev/token refuse before anyone is trusted (issue 19, items 1 and 6):
// any body but JSON, a body past the limit, a request for another host name, a cross-site page.
// Each refusal is measured by what it leaves behind: files in the temp folder, lines in the store.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installActivity } from '../fakes/activities.js';
import { Harness, PRODUCTION_BOT } from './harness.js';
import { parseResponse, RawClient } from './raw-client.js';

const UPLOAD_BYTES = 2 * 1024 * 1024;
const BOUNDARY = 'x-boundary-19';

function multipart(bytes: number): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="fill.bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.alloc(bytes, 0x61),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** Sends `body` on a raw connection, with a Content-Length or chunked (no length at all). */
async function rawPost(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  framing: 'length' | 'chunked',
) {
  const client = await RawClient.connect(url);
  const { host } = new URL(url);
  const head = Object.entries({ host, ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const length =
    framing === 'length' ? `content-length: ${body.length}\r\n` : 'transfer-encoding: chunked\r\n';
  client.write(`POST ${path} HTTP/1.1\r\n${head}${length}connection: close\r\n\r\n`);
  const socket = (client as unknown as { socket: import('node:net').Socket }).socket;
  for (let at = 0; at < body.length; at += 64 * 1024) {
    const piece = body.subarray(at, at + 64 * 1024);
    if (socket.destroyed) break;
    socket.write(
      framing === 'chunked'
        ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
        : piece,
    );
  }
  if (framing === 'chunked' && !socket.destroyed) socket.write('0\r\n\r\n');
  await client.closed;
  return parseResponse(client.received);
}

/** A request with the headers a browser or a rebinding page would send (fetch will not set Host). */
function send(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{
  status: number;
  body: { error?: { code: string; message?: string } } & Record<string, unknown>;
}> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the bot endpoint and the dev token read nothing they cannot afford', () => {
  let temp: string;
  let savedTmp: string | undefined;
  beforeEach(async () => {
    // formidable (restify's multipart parser) writes uploads to os.tmpdir(), which reads TMPDIR.
    temp = await mkdtemp(join(tmpdir(), 'edges-tmp-'));
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = temp;
  });
  afterEach(async () => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    await rm(temp, { recursive: true, force: true });
  });
  // The harness keeps its data in a folder of its own there; anything else was left by a request.
  const filesLeft = async (harness: Harness) =>
    (await readdir(temp)).filter((name) => join(temp, name) !== harness.dataDir).length;
  const upload = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

  for (const framing of ['length', 'chunked'] as const) {
    it(`answers 401 to a multipart post without a token (${framing}) and writes nothing to disk`, async () => {
      const harness = await Harness.start(PRODUCTION_BOT);
      try {
        const answer = await rawPost(harness.url, '/api/messages', upload, multipart(UPLOAD_BYTES), framing);
        assert.equal(answer.status, 401);
        assert.equal(JSON.parse(answer.body).error.code, 'unauthorized');
        assert.equal(await filesLeft(harness), 0, 'no upload left in the temp folder');
      } finally {
        await harness.stop();
      }
    });

    it(`answers 415 to a multipart post in local mode (${framing}), on both open routes, and writes nothing`, async () => {
      const harness = await Harness.start();
      try {
        for (const path of ['/api/messages', '/api/dev/token']) {
          const answer = await rawPost(harness.url, path, upload, multipart(UPLOAD_BYTES), framing);
          assert.equal(answer.status, 415, path);
          assert.equal(JSON.parse(answer.body).error.code, 'unsupported_media_type');
        }
        assert.equal(await filesLeft(harness), 0, 'no upload left in the temp folder');
      } finally {
        await harness.stop();
      }
    });
  }

  it('answers 413 to a JSON activity past 256 KB, with a length or chunked, and takes a normal one', async () => {
    const harness = await Harness.start();
    try {
      const huge = Buffer.from(JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) }));
      const json = { 'content-type': 'application/json' };
      for (const framing of ['length', 'chunked'] as const) {
        const answer = await rawPost(harness.url, '/api/messages', json, huge, framing);
        assert.equal(answer.status, 413, framing);
        assert.equal(JSON.parse(answer.body).error.code, 'payload_too_large');
      }
      const bigToken = await rawPost(
        harness.url,
        '/api/dev/token',
        json,
        Buffer.alloc(5000, 0x20),
        'chunked',
      );
      assert.equal(bigToken.status, 413);
      const garbled = await send(harness.url, '/api/messages', json, '{"type":');
      assert.equal(garbled.status, 400);
      assert.equal(garbled.body.error?.code, 'invalid_json');
      for (const shapeless of ['{}', '[]', 'null', '{"type":""}', '{"type":7}']) {
        const answer = await send(harness.url, '/api/messages', json, shapeless);
        assert.equal(answer.status, 400, shapeless);
        assert.match(answer.body.error?.message ?? '', /"type"/, shapeless);
      }
      assert.equal(await filesLeft(harness), 0);
      // The bot still takes an activity as the Playground sends it: JSON, no Origin.
      const { FakeConnector } = await import('../fakes/fake-connector.js');
      const connector = await FakeConnector.start();
      try {
        const installed = await harness.postActivity(installActivity(connector.url));
        assert.equal(installed.status, 200);
        await connector.waitFor((r) => r.kind === 'create');
      } finally {
        await connector.close();
      }
    } finally {
      await harness.stop();
    }
  });
});

describe('local mode takes requests from this machine only (DNS rebinding, cross-site pages)', () => {
  let harness: Harness;
  before(async () => {
    // No webhook key: the lead webhook is open too, so it is a local-only route.
    harness = await Harness.start({ HOST: '192.0.2.10', LEADS_WEBHOOK_SECRET: '' });
  });
  after(async () => harness.stop());

  const port = () => new URL(harness.url).port;
  const tokenBody = JSON.stringify({ oid: 'u-1', name: 'Avery' });
  const json = (extra: Record<string, string>) => ({ 'content-type': 'application/json', ...extra });

  it('answers 421 to a request for another host name, on every open route', async () => {
    for (const path of ['/api/messages', '/api/dev/token', '/api/leads']) {
      const answer = await send(harness.url, path, json({ host: `rebound.example:${port()}` }), tokenBody);
      assert.equal(answer.status, 421, path);
      assert.equal(answer.body.error?.code, 'wrong_host');
    }
    assert.equal((await harness.app.store.stats()).leads, 0);
  });

  it('answers 403 to a cross-site page, a sandboxed one (Origin: null) and another local port', async () => {
    for (const origin of [
      'https://evil.example',
      'null',
      'http://localhost:1',
      `http://rebound.example:${port()}`,
    ]) {
      for (const path of ['/api/messages', '/api/dev/token']) {
        const answer = await send(
          harness.url,
          path,
          json({ host: `localhost:${port()}`, origin }),
          tokenBody,
        );
        assert.equal(answer.status, 403, `${path} from ${origin}`);
        assert.equal(answer.body.error?.code, 'cross_site');
      }
    }
    // A form post from the same page is no JSON: item 1 refuses it.
    const form = await send(
      harness.url,
      '/api/dev/token',
      { 'content-type': 'application/x-www-form-urlencoded', origin: harness.url },
      'oid=u-1&name=Avery',
    );
    assert.equal(form.status, 415);
  });

  it('still serves loopback names, the configured HOST, its own pages and callers without an Origin', async () => {
    const hosts = [`localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`, `192.0.2.10:${port()}`];
    for (const host of hosts) {
      const plain = await send(harness.url, '/api/dev/token', json({ host }), tokenBody);
      assert.equal(plain.status, 200, host);
      assert.equal(typeof plain.body.token, 'string');
      const samePage = await send(
        harness.url,
        '/api/dev/token',
        json({ host, origin: `http://${host}` }),
        tokenBody,
      );
      assert.equal(samePage.status, 200, `${host} from its own page`);
    }
  });
});
