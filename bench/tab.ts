// `npm run bench -- tab`: the Leads tab. Its API at full history (first page of the board, the
// month's summary) as a manager, who sees every lead; then the tab itself in the local tab host
// against that same server, in headless Chromium: first paint, leads on screen, and its weight.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTab } from '../scripts/build-tab.js';
import { launchChromium } from '../scripts/chromium.js';
import type { Lead } from '../src/leads/lead.js';
import { TEAM_ID } from '../test/fakes/activities.js';
import { installedMeta, writeMonthFiles } from './seed.js';

export interface TabBenchDeps {
  leads: Lead[];
  /** "100,000 leads (10,000 this month)" */
  history: string;
  connectorUrl: string;
  startServer(args: string[]): Promise<{ url: string; stop(): Promise<unknown> }>;
  report(name: string, command: string, data: string, figures: Record<string, unknown>): void;
  pct(values: number[], p: number): number;
}

const COMMAND = 'npm run bench -- tab';
const MANAGER = { oid: 'aad-alex', name: 'Alex Wilber' }; // bench/serve.ts makes aad-alex a manager
const PAGES = Number(process.env.BENCH_TAB_REQUESTS ?? 50);
const LOADS = Number(process.env.BENCH_TAB_LOADS ?? 5);

export async function benchTab(deps: TabBenchDeps): Promise<void> {
  const build = await buildTab();
  const dir = mkdtempSync(join(tmpdir(), 'bench-tab-'));
  await writeMonthFiles(dir, deps.leads, installedMeta(deps.connectorUrl));
  const server = await deps.startServer([dir]);
  try {
    const token = await devToken(server.url);
    const time = async (path: string, count: number) => {
      for (let i = 0; i < 3; i++) await get(server.url, path, token); // JIT and caches, not measured
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        await get(server.url, path, token);
        times.push(performance.now() - t);
      }
      return `${deps.pct(times, 0.5)}, ${deps.pct(times, 0.99)}`;
    };
    deps.report('tabApi', COMMAND, `${deps.history}; a manager, who sees every lead; one request at a time`, {
      [`GET /api/tab/leads (first page of 50, counts and pipeline of all): p50, p99 ms (${PAGES} requests)`]:
        await time('/api/tab/leads?limit=50', PAGES),
      [`GET /api/tab/summary?period=month: p50, p99 ms (${Math.ceil(PAGES / 2)} requests)`]: await time(
        '/api/tab/summary?period=month',
        Math.ceil(PAGES / 2),
      ),
    });
    deps.report(
      'tabFirstPaint',
      COMMAND,
      `the tab in the local tab host (headless Chromium), same server and data; median of ${LOADS} cold loads`,
      {
        ...(await paint(server.url)),
        'tab.js minified, KB': Math.round(build.jsBytes / 1024),
        'tab.js gzipped, KB': Math.round(build.jsGzipBytes / 102.4) / 10,
        'tab CSS gzipped, KB': Math.round(build.cssGzipBytes / 102.4) / 10,
      },
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function devToken(url: string): Promise<string> {
  const response = await fetch(`${url}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(MANAGER),
  });
  if (!response.ok) throw new Error(`POST /api/dev/token answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

async function get(url: string, path: string, token: string): Promise<void> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
}

/**
 * Cold loads of the host page (new context each: no cache). In the tab's frame, from its own
 * navigation: first contentful paint, and when the first leads were on screen (its mark); from
 * the host page's navigation: the same leads on screen, the whole way a person waits.
 */
async function paint(url: string): Promise<Record<string, number>> {
  const browser = await launchChromium();
  const fcp: number[] = [];
  const shown: number[] = [];
  const whole: number[] = [];
  try {
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
      const page = await context.newPage();
      const query = new URLSearchParams({ oid: MANAGER.oid, name: MANAGER.name, team: TEAM_ID });
      await page.goto(`${url}/tab/local-host.html?${query}`);
      const frame = page.frameLocator('#tab');
      await frame.locator('.board').waitFor({ timeout: 30_000 });
      const tab = page.frames().find((f) => f.url().includes('/tab/?'));
      if (!tab) throw new Error('the tab frame is not there');
      const [paintMs, shownMs] = (await tab.evaluate(`[
        performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
        performance.getEntriesByName('lead-assistant:leads-shown')[0]?.startTime ?? -1,
      ]`)) as [number, number];
      const frameStart = (await tab.evaluate('performance.timeOrigin')) as number;
      const hostStart = (await page.evaluate('performance.timeOrigin')) as number;
      fcp.push(paintMs);
      shown.push(shownMs);
      whole.push(frameStart - hostStart + shownMs);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const median = (values: number[]) =>
    Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0);
  return {
    'tab frame: first contentful paint, ms': median(fcp),
    'tab frame: first leads on screen, ms': median(shown),
    'host page opened to first leads on screen, ms': median(whole),
  };
}
