import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localeEnv, playgroundLocale, startLocaleProxy } from '../../scripts/locale-proxy.mjs';

/** A stand-in for the bot on a free loopback port: records what arrives, answers 200 with a reply. */
async function fakeBot(): Promise<{
  server: Server;
  port: number;
  received: Array<{ req: IncomingMessage; body: string }>;
}> {
  const received: Array<{ req: IncomingMessage; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ req, body });
      res.writeHead(201, { 'content-type': 'application/json', 'x-from': 'bot' });
      res.end(JSON.stringify({ status: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

describe('npm run dev -- --locale pt-PT (scripts/locale-proxy.mjs)', () => {
  it('reads --locale, --locale= or PLAYGROUND_LOCALE, English by default, and refuses others', () => {
    assert.equal(playgroundLocale([], {}), 'en');
    assert.equal(playgroundLocale(['--locale', 'pt-PT'], {}), 'pt-PT');
    assert.equal(playgroundLocale(['--locale=pt'], {}), 'pt-PT');
    assert.equal(playgroundLocale([], { PLAYGROUND_LOCALE: 'pt-pt' }), 'pt-PT');
    assert.equal(playgroundLocale(['--locale', 'en'], { PLAYGROUND_LOCALE: 'pt-PT' }), 'en', 'the flag wins');
    assert.throws(
      () => playgroundLocale(['--locale', 'fr-FR'], {}),
      /--locale must be en or pt-PT \(got "fr-FR"\)/,
    );
    assert.throws(() => playgroundLocale(['--locale'], {}), /--locale must be en or pt-PT \(got ""\)/);
    assert.throws(() => playgroundLocale([], { PLAYGROUND_LOCALE: 'de' }), /PLAYGROUND_LOCALE must be/);
  });

  it('posts new lead cards in that language too, unless DEFAULT_LOCALE says otherwise', () => {
    assert.deepEqual(localeEnv('pt-PT', {}), { DEFAULT_LOCALE: 'pt-PT' });
    assert.deepEqual(localeEnv('pt-PT', { DEFAULT_LOCALE: 'en' }), {});
    assert.deepEqual(localeEnv('en', {}), {});
  });

  it('makes npm run dev stop at once, saying why, on a language it does not speak', () => {
    const run = spawnSync(process.execPath, ['scripts/dev.mjs', '--locale', 'fr-FR'], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, PORT: '0' },
    });
    assert.equal(run.status, 1);
    assert.equal(run.stderr.trim(), '--locale must be en or pt-PT (got "fr-FR").');
  });

  it('gives every activity the locale on its way to the bot, and the bot’s answer back unchanged', async () => {
    const bot = await fakeBot();
    const proxy = await startLocaleProxy(bot.port, 'pt-PT');
    try {
      const activity = { type: 'message', text: 'ajuda', locale: 'en-US', from: { id: 'user-megan' } };
      const answer = await fetch(`http://127.0.0.1:${proxy.port}/api/messages?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer abc' },
        body: JSON.stringify(activity),
      });
      assert.equal(answer.status, 201);
      assert.equal(answer.headers.get('x-from'), 'bot');
      assert.deepEqual(await answer.json(), { status: 'ok' });
      const [got] = bot.received;
      assert.equal(got?.req.url, '/api/messages?x=1');
      assert.equal(got?.req.headers.authorization, 'Bearer abc');
      assert.deepEqual(JSON.parse(got?.body ?? ''), { ...activity, locale: 'pt-PT' });
      // Not JSON: passed as it came.
      await fetch(`http://127.0.0.1:${proxy.port}/other`, { method: 'POST', body: 'plain text' });
      assert.equal(bot.received[1]?.body, 'plain text');
      await fetch(`http://127.0.0.1:${proxy.port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{not json',
      });
      assert.equal(bot.received[2]?.body, '{not json');
    } finally {
      proxy.server.close();
      bot.server.close();
    }
  });

  it('answers 502 when the bot is not there, instead of hanging the Playground', async () => {
    const bot = await fakeBot();
    const gone = bot.port;
    await new Promise((resolve) => bot.server.close(resolve));
    const proxy = await startLocaleProxy(gone, 'pt-PT');
    try {
      const answer = await fetch(`http://127.0.0.1:${proxy.port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(answer.status, 502);
    } finally {
      proxy.server.close();
    }
  });
});
