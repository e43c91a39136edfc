import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SCRIPT = fileURLToPath(new URL('../../scripts/import-leads.ts', import.meta.url));
const FILE = fileURLToPath(new URL('../fixtures/partner-center-export.csv', import.meta.url));
const KEY = 'import-script-key-0123456789';

/** A loopback server answering every request with `answer`, keeping what it was sent. */
async function recordingServer(
  answer: (port: number) => { status: number; headers?: Record<string, string>; body?: unknown },
) {
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    const { status, headers, body } = answer((server.address() as AddressInfo).port);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** `npm run import-leads -- <file> --url <url>`, as a real process; its exit code and output. */
async function runScript(url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', SCRIPT, FILE, '--url', url],
      { env: { ...process.env, LEADS_WEBHOOK_SECRET: KEY }, timeout: 15_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run import-leads: the key goes only where it was sent', function () {
  this.timeout(30_000);

  it('does not follow a redirect to another origin: the key never reaches it, and it says why', async () => {
    const elsewhere = await recordingServer(() => ({ status: 200 }));
    const redirecting = await recordingServer(() => ({
      status: 307,
      headers: { location: `${elsewhere.url}/api/leads/import` },
    }));
    try {
      const run = await runScript(redirecting.url);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        /answered 307, a redirect to http:\/\/127\.0\.0\.1:\d+\/api\/leads\/import\. Not followed/,
      );
      assert.equal(redirecting.seen.length, 1, 'the named server was asked once');
      assert.deepEqual(elsewhere.seen, [], 'the other origin saw no request, so no key');
    } finally {
      await redirecting.close();
      await elsewhere.close();
    }
  });

  it('refuses plain http to any host but this machine, before sending anything', async () => {
    // An address nothing answers on: the refusal must come before any attempt to reach it.
    const run = await runScript('http://192.0.2.10:3978');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Refusing http:\/\/192\.0\.2\.10:3978: the key would travel in clear/);
    const named = await runScript('http://leads.contoso.example');
    assert.equal(named.code, 2);
    assert.match(named.stderr, /Use https, or http only to localhost/);
  });

  it('still sends to http on loopback (a local server) and prints its answer', async () => {
    const report = {
      rows: 10,
      new: 3,
      known: 1,
      duplicates: 1,
      repeats: 0,
      tests: 1,
      refused: [],
      ignoredColumns: [],
    };
    const local = await recordingServer(() => ({ status: 200, body: report }));
    try {
      const run = await runScript(local.url);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Rows read: +10\nNew leads: +3/);
      assert.equal(local.seen[0]?.headers['x-leads-key'], KEY);
      assert.equal(local.seen[0]?.url, '/api/leads/import');
    } finally {
      await local.close();
    }
  });
});
