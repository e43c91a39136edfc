import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { endpointKey } from '../../src/events/endpoint.js';
import { EventOutbox } from '../../src/events/event-outbox.js';
import { silentLogger } from '../../src/log.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { makeIncoming } from '../fakes/lead-factory.js';
import { newSecret } from './receiver.js';

const MB = 1024 * 1024;
/** Only so that a sender reading it all cannot take the machine down: far beyond any limit here. */
const SAFETY_CAP = 256 * MB;

/**
 * A receiver that answers 200 and then streams its reply for as long as the sender reads it,
 * counting what it managed to write before the sender hung up.
 */
async function endlessReceiver(): Promise<{
  url: string;
  written: () => number;
  hungUp: Promise<void>;
  server: Server;
}> {
  let written = 0;
  let hangUp: () => void = () => {};
  const hungUp = new Promise<void>((resolve) => {
    hangUp = resolve;
  });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const server = createServer((req, res) => {
    req.resume();
    res.statusCode = 200;
    res.setHeader('content-type', 'text/plain');
    let open = true;
    res.on('close', () => {
      open = false;
      hangUp();
    });
    const pump = () => {
      while (open && written < SAFETY_CAP) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (open) res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    written: () => written,
    hungUp,
    server,
  };
}

describe('a lead events receiver whose reply never ends', () => {
  it('gets its event delivered, and the sender reads a few KB of the reply, not hundreds of MB', async function () {
    this.timeout(30_000);
    const receiver = await endlessReceiver();
    const store = new MemoryStore();
    const outbox = new EventOutbox({
      store,
      settings: {
        endpoints: [receiver.url],
        secrets: [newSecret(9)],
        contact: 'omit',
        source: '/lead-assistant/test',
      },
      log: silentLogger,
      now: () => new Date(),
      retry: {
        baseDelayMs: 20,
        maxDelayMs: 100,
        timeoutMs: 10_000,
        giveUpAfterMs: 60_000,
        random: () => 0.5,
      },
      sweepMs: 60_000,
    });
    await outbox.start(); // an endpoint is owed the changes made after it was added
    const at = new Date().toISOString();
    const lead = await store.createLead({
      ...makeIncoming(1),
      id: 'L-BIG01',
      receivedAt: at,
      status: 'new',
      history: [{ at, by: { aadObjectId: 'system', name: 'Marketplace' }, action: 'received', to: 'new' }],
      deliveries: [],
      version: 1,
    });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      outbox.kick();
      await receiver.hungUp; // the sender closed the connection: it stopped reading
      await outbox.settled();
      const cursor = (await store.getLead(lead.id))?.events?.[endpointKey(receiver.url)];
      assert.equal(cursor?.sent, 1, `delivered once: ${JSON.stringify(cursor)}`);
      assert.equal(cursor?.lastError, undefined);
    } finally {
      clearInterval(sampler);
      await outbox.stop();
      receiver.server.closeAllConnections();
      await new Promise((resolve) => receiver.server.close(resolve));
    }
    // What the receiver wrote is what the sender read plus the sockets' buffers (a few MB).
    assert.ok(receiver.written() < 32 * MB, `the receiver wrote ${Math.round(receiver.written() / MB)} MB`);
    assert.ok(peak - baseline < 64 * MB, `memory grew ${Math.round((peak - baseline) / MB)} MB`);
  });
});
