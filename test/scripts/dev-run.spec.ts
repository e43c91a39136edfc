// `npm run dev` as a newcomer runs it: in a folder with `.env` copied from `.env.example`. The
// Playground is a stand-in that idles (what is tested is the bot's side), the bot is the real one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Run, runIn, type ScriptCopy, scriptCopy } from './script-copy.js';

describe('npm run dev with .env copied from .env.example', function () {
  this.timeout(60_000);
  let copy: ScriptCopy;
  let run: Run | undefined;

  beforeEach(() => {
    copy = scriptCopy('dev-run-');
    copy.copy('scripts/dev.mjs');
    copy.copy('scripts/locale-proxy.mjs');
    copy.copy('.m365agentsplayground.yml');
    copy.write('.env', readFileSync('.env.example', 'utf8'));
    copy.link('src');
    copy.link('package.json');
    for (const name of ['tsx', 'pino-pretty', 'dotenv']) copy.link(`node_modules/${name}`);
    copy.write('scripts/build-tab.ts', '// the tab build is not what is tested here\n');
    copy.write('node_modules/@microsoft/m365agentsplayground/cli.js', 'setInterval(() => {}, 60_000);\n');
  });
  afterEach(async () => {
    // dev.mjs stops its children on SIGTERM; a failed test must not leave them running.
    if (run && run.child.exitCode === null) run.child.kill('SIGTERM');
    await run?.exit;
    run = undefined;
    copy.remove();
  });

  it('starts the bot in local mode, and stops with 0 when asked to', async () => {
    run = runIn(copy.dir, ['scripts/dev.mjs'], { PORT: '0', DATA_DIR: `${copy.dir}/data` });
    await run.waitFor(/listening on .*http:\/\/127\.0\.0\.1:\d+/);
    run.child.kill('SIGTERM');
    assert.equal(await run.exit, 0, run.output());
  });

  it('exits non-zero when the bot dies', async () => {
    run = runIn(copy.dir, ['scripts/dev.mjs'], {
      PORT: '0',
      DATA_DIR: `${copy.dir}/data`,
      HOST: 'not an address',
    });
    await run.waitFor(/\[bot\] exited \(1\)/);
    assert.equal(await run.exit, 1, run.output());
  });
});
