// Builds the Leads tab (src/tab) into dist/tab: one minified ES module each for the tab and the
// local host page, their CSS, and the HTML pages. teams-js and Fluent come from node_modules (no CDN),
// and nothing is inline, since the tab's CSP allows scripts and styles from 'self' only.
// `npm run build` runs it; the browser tests call buildTab() when dist/tab is missing or stale.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src', 'tab');
export const TAB_DIST = join(ROOT, 'dist', 'tab');
/** What the last build was made of: beside dist/tab, not in it, since dist/tab is served. */
const INFO = join(ROOT, 'dist', 'tab-build.json');

export interface TabBuild {
  /** Every source file the bundles were made of (repo-relative), for staleness checks. */
  inputs: string[];
  /** Bytes of the tab's JavaScript, minified and gzipped. */
  jsBytes: number;
  jsGzipBytes: number;
  cssGzipBytes: number;
  ms: number;
}

export async function buildTab(): Promise<TabBuild> {
  const started = performance.now();
  rmSync(TAB_DIST, { recursive: true, force: true });
  mkdirSync(TAB_DIST, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: {
      tab: join(SRC, 'main.ts'),
      'tab-style': join(SRC, 'tab.css'),
      'local-host': join(SRC, 'local-host', 'local-host.ts'),
      'local-host-style': join(SRC, 'local-host', 'local-host.css'),
    },
    outdir: TAB_DIST,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome110', 'edge110', 'safari16', 'firefox115'],
    platform: 'browser',
    tsconfig: join(SRC, 'tsconfig.json'),
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  // Plain names, with a content hash in the URL so a new build is never served from a stale cache.
  const version = (file: string) =>
    createHash('sha256')
      .update(readFileSync(join(TAB_DIST, file)))
      .digest('hex')
      .slice(0, 12);
  const page = (source: string, target: string, assets: Record<string, string>) => {
    let html = readFileSync(join(SRC, source), 'utf8');
    for (const [from, to] of Object.entries(assets))
      html = html.replace(`"${from}"`, `"${to}?v=${version(to)}"`);
    writeFileSync(join(TAB_DIST, target), html);
  };
  page('index.html', 'index.html', { 'tab.js': 'tab.js', 'tab.css': 'tab-style.css' });
  page('local-host/local-host.html', 'local-host.html', {
    'local-host.js': 'local-host.js',
    'local-host.css': 'local-host-style.css',
  });
  const js = readFileSync(join(TAB_DIST, 'tab.js'));
  const info: TabBuild = {
    inputs: Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/')),
    jsBytes: js.length,
    jsGzipBytes: gzipSync(js).length,
    cssGzipBytes: gzipSync(readFileSync(join(TAB_DIST, 'tab-style.css'))).length,
    ms: Math.round(performance.now() - started),
  };
  writeFileSync(INFO, `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/** Whether dist/tab is missing or older than any source it was built from (or the tab folder). */
export function tabIsStale(): boolean {
  let builtAt: number;
  let inputs: string[];
  try {
    builtAt = statSync(INFO).mtimeMs;
    inputs = (JSON.parse(readFileSync(INFO, 'utf8')) as TabBuild).inputs;
  } catch {
    return true;
  }
  const sources = [
    ...inputs,
    'src/tab/index.html',
    'src/tab/local-host/local-host.html',
    'scripts/build-tab.ts',
  ];
  return sources.some((file) => {
    try {
      return statSync(join(ROOT, file)).mtimeMs > builtAt;
    } catch {
      return true; // a source went away: build again
    }
  });
}

/** Builds unless dist/tab is up to date. */
export async function ensureTabBuilt(): Promise<void> {
  if (tabIsStale()) await buildTab();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const info = await buildTab();
  process.stdout.write(
    `dist/tab built in ${info.ms} ms: tab.js ${(info.jsBytes / 1024).toFixed(1)} KB, ${(info.jsGzipBytes / 1024).toFixed(1)} KB gzipped\n`,
  );
}
