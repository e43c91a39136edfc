import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { runIn } from './script-copy.js';

/** A loopback port nothing listens on: taken, then given back. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('npm run send-sample-lead', () => {
  it('says in one line that nothing answers, and what to start, when no server runs', async () => {
    const port = await closedPort();
    const run = runIn(process.cwd(), ['--import', 'tsx', 'scripts/send-sample-lead.ts'], {
      PORT: String(port),
    });
    assert.equal(await run.exit, 1);
    const lines = run.output().trim().split('\n');
    assert.equal(lines.length, 1, run.output());
    assert.match(
      lines[0] ?? '',
      /Could not send the lead to http:\/\/localhost:\d+\/api\/leads: ECONNREFUSED/,
    );
    assert.match(lines[0] ?? '', /npm run dev/);
  });
});
