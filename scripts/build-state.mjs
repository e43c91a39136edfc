// What `npm start` has to build before it runs: the server (tsc, src → dist) and the tab (esbuild,
// src/tab → dist/tab), each missing, stale (a source newer than its build) or ok. Plain JavaScript
// without dependencies, so it runs after `npm prune --omit=dev` too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time under `dir` (0 if it does not exist), skipping `skip` (absolute paths). */
function newestMtime(dir, skip = []) {
  if (skip.includes(dir) || !existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path, skip) : statSync(path).mtimeMs);
  }
  return newest;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The server's build: dist/index.js against src/ (less src/tab, which tsc does not compile). */
function serverState(root) {
  const built = mtime(join(root, 'dist', 'index.js'));
  if (built === undefined) return 'missing';
  const sources = newestMtime(join(root, 'src'), [join(root, 'src', 'tab')]);
  return sources > built ? 'stale' : 'ok';
}

/** The tab's build: dist/tab-build.json (written last by scripts/build-tab.ts) against what it lists. */
function tabState(root) {
  const info = join(root, 'dist', 'tab-build.json');
  const built = mtime(info);
  if (built === undefined || !existsSync(join(root, 'dist', 'tab', 'index.html'))) return 'missing';
  let inputs = [];
  try {
    inputs = JSON.parse(readFileSync(info, 'utf8')).inputs ?? [];
  } catch {
    return 'stale';
  }
  const sources = [
    ...inputs,
    'src/tab/index.html',
    'src/tab/local-host/local-host.html',
    'scripts/build-tab.ts',
  ];
  // A source that is not there (an image with dist only) says nothing about the build's age.
  return sources.some((file) => (mtime(join(root, file)) ?? 0) > built) ? 'stale' : 'ok';
}

/** Whether the build tools (dev dependencies) are installed: TypeScript, tsx and esbuild. */
function hasBuildTools(root) {
  return ['typescript/bin/tsc', 'tsx/package.json', 'esbuild/package.json'].every((path) =>
    existsSync(join(root, 'node_modules', path)),
  );
}

export function buildState(root) {
  return { server: serverState(root), tab: tabState(root), tools: hasBuildTools(root) };
}
