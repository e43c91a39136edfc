import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('start-up loads only what every path needs', () => {
  it('builds the app on the embedded store without botbuilder, the Azure SDK or the free-mail list', async () => {
    // A process of its own: this one has loaded them all already (other specs).
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/compose/start-probe.ts'], {
      timeout: 60_000,
    });
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}'), {
      botbuilder: false,
      'botframework-connector': false,
      '@azure/data-tables': false,
      '@azure/identity': false,
      'free-email-domains-list': false,
    });
  });
});
