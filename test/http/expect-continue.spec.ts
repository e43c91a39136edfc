// `Expect: 100-continue` asks the server whether to send the body. Node says yes at once by
// itself, before any route checked who asks; here the yes comes only once the route reads the body,
// after its key or token passed. A refused client is answered without ever being asked for its bytes.
import assert from 'node:assert/strict';
import { leadFixture } from '../fixtures/load.js';
import { Harness, PRODUCTION_BOT, WEBHOOK_SECRET } from './harness.js';
import { RawClient } from './raw-client.js';

describe('Expect: 100-continue', () => {
  let harness: Harness;
  before(async () => {
    harness = await Harness.start(PRODUCTION_BOT);
  });
  after(async () => {
    await harness.stop();
  });

  /** Sends only the head, with `Expect: 100-continue`; what the server says before any body. */
  async function ask(path: string, headers: Record<string, string>, length: number) {
    const client = await RawClient.connect(harness.url);
    const head = Object.entries({
      host: new URL(harness.url).host,
      ...headers,
      'content-length': String(length),
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    client.write(`POST ${path} HTTP/1.1\r\n${head}expect: 100-continue\r\n\r\n`);
    await client.waitFor('\r\n\r\n');
    return client;
  }

  it('answers 401 to an unsigned activity without inviting its body', async () => {
    const client = await ask('/api/messages', { 'content-type': 'application/json' }, 5_000_000);
    assert.match(client.received, /^HTTP\/1\.1 401 /);
    assert.doesNotMatch(client.received, /100 Continue/);
    client.destroy();
  });

  it('answers 401 to a lead without its key, and invites the body of one with it (202)', async () => {
    const refused = await ask('/api/leads', { 'content-type': 'application/json' }, 5_000);
    assert.match(refused.received, /^HTTP\/1\.1 401 /);
    refused.destroy();
    const body = leadFixture('contact-me');
    const client = await ask(
      '/api/leads',
      { 'content-type': 'application/json', 'x-leads-key': WEBHOOK_SECRET, connection: 'close' },
      Buffer.byteLength(body),
    );
    assert.match(client.received, /^HTTP\/1\.1 100 Continue/);
    client.write(body);
    await client.waitFor('"status"');
    assert.match(client.received, /HTTP\/1\.1 202 /);
    client.destroy();
  });
});
