// `npm run bench -- summary`: a summary of the last 30 days from the leads (as before issue 24)
// and from rollups, on one embedded store in this process, with 10,000 and 100,000 leads in those
// days (BENCH_SUMMARY_SIZES) beside a year of older history: the domain's time only, no HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Door } from '../src/leads/door.js';
import type { Lead } from '../src/leads/lead.js';
import { type Period, parsePeriod } from '../src/leads/period.js';
import { summarize } from '../src/leads/reports.js';
import { summarizeRollup } from '../src/leads/rollup-summary.js';
import type { Viewer } from '../src/leads/viewer.js';
import { LowdbStore } from '../src/store/lowdb-store.js';
import { TEAM_ID, TENANT_ID } from '../test/fakes/activities.js';
import { installedMeta, makeSeedLeads, writeMonthFiles } from './seed.js';

type Report = (name: string, command: string, data: string, figures: Record<string, unknown>) => void;
type Pct = (values: number[], p: number) => number;

const ZONE = 'Europe/Lisbon';
const RUNS = 20;

export async function benchSummary(report: Report, pct: Pct): Promise<void> {
  const sizes = (process.env.BENCH_SUMMARY_SIZES ?? '10000,100000').split(',').map(Number);
  for (const inMonth of sizes) {
    const now = new Date();
    const leads = lastThirtyDays(makeSeedLeads(inMonth * 2, inMonth), inMonth, now);
    const dir = mkdtempSync(join(tmpdir(), 'bench-summary-'));
    const meta = installedMeta('http://127.0.0.1:1/');
    await writeMonthFiles(dir, leads, meta);
    const store = await LowdbStore.open(dir, { timeZone: ZONE });
    const built = performance.now();
    await store.rollupCells('2000-01-01', '2000-01-01', ZONE);
    const buildMs = performance.now() - built;
    const door = new Door({
      store,
      now: () => now,
      config: { managers: [], contactVisibility: 'team' },
      changes: { changed: async () => ({}), received: () => undefined },
    });
    const team = meta.installations[0];
    if (!team) throw new Error('no team in the seed');
    const viewer: Viewer = {
      aadObjectId: 'aad-megan',
      name: 'Megan Bowen',
      isManager: true,
      isGuest: false,
      tenantId: TENANT_ID,
      teams: [team],
      placeTeamId: TEAM_ID,
      foreignTeamIds: new Set(),
    };
    const period = parsePeriod('month', now, ZONE) as Period;
    // Rollups first: the leads' way leaves garbage that a collection would charge to the next runs.
    const fromRollups = await timeEach(async () => {
      const scoped = await door.summaryRollup(viewer, period, ZONE);
      if ('refused' in scoped) throw new Error('refused');
      return summarizeRollup(scoped.scoped, period, ZONE).received;
    });
    const fromLeads = await timeEach(async () => {
      const scoped = await door.summaryLeads(viewer, period);
      if ('refused' in scoped) throw new Error('refused');
      return summarize(scoped.leads, period).received;
    });
    if (fromLeads.received !== fromRollups.received) throw new Error('the two summaries disagree');
    report(
      `summaryFromRollups${inMonth}`,
      'npm run bench -- summary',
      `${leads.length.toLocaleString('en')} leads, ${fromLeads.received.toLocaleString('en')} counted in "summary month"; ${RUNS} summaries each way, in process`,
      {
        'from the leads (before): p50, max, ms': `${pct(fromLeads.ms, 0.5)}, ${pct(fromLeads.ms, 1)}`,
        'from rollups: p50, max, ms': `${pct(fromRollups.ms, 0.5)}, ${pct(fromRollups.ms, 1)}`,
        'rollups built at open (in the background), ms': Math.round(buildMs),
      },
    );
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first `count` seed leads moved into the 30 days before `now` (their history with them). */
function lastThirtyDays(leads: Lead[], count: number, now: Date): Lead[] {
  return leads.map((lead, i) => {
    if (i >= count) return lead;
    const at = now.getTime() - ((i * 7919) % (29 * 24 * 60)) * 60_000 - 3 * 3_600_000;
    const shift = at - Date.parse(lead.receivedAt);
    const moved = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
    return {
      ...lead,
      receivedAt: moved(lead.receivedAt),
      history: lead.history.map((h) => ({ ...h, at: moved(h.at) })),
    };
  });
}

async function timeEach(run: () => Promise<number>): Promise<{ ms: number[]; received: number }> {
  const ms: number[] = [];
  let received = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    received = await run();
    ms.push(performance.now() - start);
  }
  return { ms, received };
}
