// The front of `npm run cluster`, before two instances: plain servers on loopback stand in for them,
// and a port nothing listens on for the one just killed with `kill -9`.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { startFront } from '../../scripts/cluster-front.js';

/** An instance stand-in: answers 202 with what it received, counts the requests. */
async function instance(): Promise<{ url: URL; server: Server; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString());
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"status":"accepted"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: new URL(`http://127.0.0.1:${port}`), server, bodies };
}

/** A port that refuses connections, like an instance killed a moment ago. */
async function deadInstance(): Promise<URL> {
  const { url, server } = await instance();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return url;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('npm run cluster: the round-robin front', () => {
  it('sends a lead refused by a killed instance to the other one, every time, not a 502', async () => {
    const dead = await deadInstance();
    const live = await instance();
    const front = await startFront(0, [dead, live.url]);
    try {
      for (let i = 0; i < 4; i++) {
        const answer = await fetch(`${front.url}/api/leads`, { method: 'POST', body: `{"lead":${i}}` });
        assert.equal(answer.status, 202);
        assert.equal(answer.headers.get('x-cluster-instance'), live.url.port);
      }
      assert.deepEqual(live.bodies, ['{"lead":0}', '{"lead":1}', '{"lead":2}', '{"lead":3}']);
    } finally {
      await close(front.server);
      await close(live.server);
    }
  });

  it('answers 502, naming them, when every instance refuses', async () => {
    const front = await startFront(0, [await deadInstance(), await deadInstance()]);
    try {
      const answer = await fetch(`${front.url}/api/leads`, { method: 'POST', body: '{}' });
      assert.equal(answer.status, 502);
      const body = (await answer.json()) as { error: { message: string } };
      assert.match(body.error.message, /every instance refused the connection/);
    } finally {
      await close(front.server);
    }
  });

  it('still takes turns between two live instances', async () => {
    const a = await instance();
    const b = await instance();
    const front = await startFront(0, [a.url, b.url]);
    try {
      for (let i = 0; i < 4; i++) await (await fetch(`${front.url}/healthz`)).text();
      assert.equal(a.bodies.length, 2);
      assert.equal(b.bodies.length, 2);
    } finally {
      await close(front.server);
      await Promise.all([close(a.server), close(b.server)]);
    }
  });
});
