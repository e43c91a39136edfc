// `npm start` as an operator runs it: in a copy of the repo with or without the build tools (dev
// dependencies), with or without a build. The server is a stand-in (dist/index.js that says it
// ran): what is tested is what start.mjs builds, runs and says.
import assert from 'node:assert/strict';
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runIn, type ScriptCopy, scriptCopy } from './script-copy.js';

interface BuildStateModule {
  buildState(root: string): { server: string; tab: string; tools: boolean };
}
const { buildState }: BuildStateModule = await import(pathToFileURL('scripts/build-state.mjs').href);

const SERVER_STANDIN = 'console.log("dist/index.js ran");\n';
/** No stack trace: no "    at …" frame lines, no Node internals. */
const STACK = /^\s+at |node:internal/m;

describe('npm start', function () {
  this.timeout(60_000);
  let copy: ScriptCopy;

  beforeEach(() => {
    copy = scriptCopy('start-');
    copy.copy('scripts/start.mjs');
    copy.copy('scripts/build-state.mjs');
    copy.link('package.json');
    copy.copy('src');
  });
  afterEach(() => copy.remove());

  /** dist as `npm run build` leaves it, newer than every source. */
  function writeBuild({ tab }: { tab: boolean }): void {
    copy.write('dist/index.js', SERVER_STANDIN);
    if (!tab) return;
    copy.write('dist/tab/index.html', '<!doctype html>');
    copy.write('dist/tab-build.json', JSON.stringify({ inputs: ['src/tab/main.ts'] }));
  }

  it('without dev dependencies and without a build: one line saying what to run, no stack', async () => {
    const run = runIn(copy.dir, ['scripts/start.mjs'], {});
    assert.equal(await run.exit, 1);
    const lines = run.output().trim().split('\n');
    assert.equal(lines.length, 1, run.output());
    assert.match(lines[0] ?? '', /npm ci && npm run build/);
    assert.doesNotMatch(run.output(), STACK);
  });

  it('without dev dependencies, with a build: runs it (the production recipe)', async () => {
    writeBuild({ tab: true });
    const run = runIn(copy.dir, ['scripts/start.mjs'], {});
    assert.equal(await run.exit, 0, run.output());
    assert.equal(run.output(), 'dist/index.js ran\n');
  });

  it('without dev dependencies and without the tab build: starts, and says /tab/ answers 503', async () => {
    writeBuild({ tab: false });
    const run = runIn(copy.dir, ['scripts/start.mjs'], {});
    assert.equal(await run.exit, 0, run.output());
    assert.match(run.output(), /tab's build \(dist\/tab\) is missing.*503/);
    assert.match(run.output(), /dist\/index\.js ran/);
  });

  it('with the build tools: builds the tab when only the server is built', async () => {
    copy.copy('scripts/build-tab.ts');
    copy.link('node_modules');
    writeBuild({ tab: false });
    const run = runIn(copy.dir, ['scripts/start.mjs'], {});
    assert.equal(await run.exit, 0, run.output());
    assert.match(run.output(), /Building the tab \(dist\/tab is missing\)/);
    assert.ok(existsSync(join(copy.dir, 'dist', 'tab', 'index.html')));
    assert.ok(existsSync(join(copy.dir, 'dist', 'tab', 'tab.js')));
    assert.match(run.output(), /dist\/index\.js ran/);
    assert.deepEqual(buildState(copy.dir), { server: 'ok', tab: 'ok', tools: true });
  });

  it('the real server warns at start when the tab is not built (local mode, tab on)', async () => {
    copy.link('node_modules');
    const run = runIn(copy.dir, ['--import', 'tsx', 'src/index.ts'], {
      PORT: '0',
      DATA_DIR: join(copy.dir, 'data'),
      ALLOW_UNAUTHENTICATED_BOT: 'true',
    });
    try {
      await run.waitFor(/listening on/);
      await run.waitFor(/The Leads tab is not built .*npm run build/);
    } finally {
      run.child.kill('SIGTERM');
      await run.exit;
    }
  });

  it('sees a source edited after the build as stale, the server and the tab each on its own', () => {
    writeBuild({ tab: true });
    assert.deepEqual(buildState(copy.dir), { server: 'ok', tab: 'ok', tools: false });
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(copy.dir, 'src', 'tab', 'main.ts'), later, later);
    assert.deepEqual(buildState(copy.dir), { server: 'ok', tab: 'stale', tools: false });
    utimesSync(join(copy.dir, 'src', 'config', 'config.ts'), later, later);
    assert.equal(buildState(copy.dir).server, 'stale');
  });
});
