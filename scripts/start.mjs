// `npm start`: build what is missing or older than its sources (the server, the tab), then run
// the server. Without the build tools (after `npm ci --omit=dev` or `npm prune --omit=dev`) it runs
// what is built, and says in one line what to do when that is not enough.
// package.json starts it with --max-semi-space-size=16 (MB): Node 24's V8 grows the young
// generation to 64 MB per semi-space under a burst and keeps it, about 70 MB more RSS for no gain
// here; 16 is what Node 20 uses.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildState } from './build-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function fail(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
}

/** Runs a build step; its own output (compiler errors) is shown, then one line, never a stack. */
function step(what, args) {
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  } catch {
    fail(`building ${what} failed (see above); fix it, or run \`npm run build\` to see it again.`);
  }
}

const state = buildState(root);
if (!state.tools) {
  if (state.server !== 'ok')
    fail(
      `the server's build (dist/) is ${state.server === 'missing' ? 'missing' : 'older than src/'}, and the ` +
        'build tools (dev dependencies) are not installed. Run `npm ci && npm run build`, then ' +
        '`npm prune --omit=dev` if you want them gone (README, "Run it for real").',
    );
  if (state.tab !== 'ok')
    process.stderr.write(
      `npm start: the tab's build (dist/tab) is ${state.tab === 'missing' ? 'missing' : 'older than src/tab'} ` +
        'and the build tools are not installed; starting without it (/tab/ answers 503). ' +
        'Build it with `npm ci && npm run build`.\n',
    );
} else {
  if (state.server !== 'ok') {
    process.stderr.write(
      `Building the server (dist/ is ${state.server === 'missing' ? 'missing' : 'stale'})…\n`,
    );
    step('the server', [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(root, 'tsconfig.build.json'),
    ]);
  }
  if (state.tab !== 'ok') {
    process.stderr.write(
      `Building the tab (dist/tab is ${state.tab === 'missing' ? 'missing' : 'stale'})…\n`,
    );
    step('the tab', ['--import', 'tsx', join(root, 'scripts', 'build-tab.ts')]);
  }
}
try {
  await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
} catch (error) {
  // The server's own errors are its to report; a package that is not installed is one line here.
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  fail(`${String(error.message).split('\n')[0]} Run \`npm ci\` (or \`npm ci --omit=dev\` with dist/ built).`);
}
