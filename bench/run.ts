// `npm run bench [-- scenario…]`: figures for the embedded store and the delivery engine on this
// machine. Scenarios: store (cold start, intake, claim, summary), naive (the baseline), delivery,
// backlog (intake with 50,000 cards waiting for Teams, beside intake with none), import (a 5,000-row
// Partner Center export), import-bomb (/healthz and the webhook while import bombs are refused;
// bench/import-bomb.ts), events (lead events per second to a local receiver, with the cards still
// on time; bench/events.ts), tab (bench/tab.ts), msgext (the message extension's search;
// bench/msgext.ts), summary (a summary from the leads beside one from rollups; bench/summary.ts),
// azure (two instances on Azure Tables in Azurite,
// beside the embedded store, and the Azure transactions each thing costs; bench/azure.ts), and
// curve (the store scenario at 100,000, 300,000 and 1,000,000 leads, one table; bench/curve.ts).
// The app runs compiled in a child process of its own (bench/serve.ts), the load comes from this one.
// Each scenario prints its command, data size and figures; all go to bench/results/latest.json.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TEAMS_THREAD_WINDOWS, type Window } from '../src/delivery/rate-limiter.js';
import type { Lead } from '../src/leads/lead.js';
import {
  cardActionActivity,
  channelMessage,
  installActivity,
  LEADS_CHANNEL_ID,
} from '../test/fakes/activities.js';
import { FakeConnector } from '../test/fakes/fake-connector.js';
import { benchAzure } from './azure.js';
import { cpuSeconds, cpuUsed } from './child-cpu.js';
import { benchEvents } from './events.js';
import { benchImport, IMPORT_ROWS } from './import.js';
import { benchImportBomb } from './import-bomb.js';
import { benchMsgext } from './msgext.js';
import {
  installedMeta,
  makeSeedLeads,
  seedThread,
  withPendingCards,
  writeMonthFiles,
  writeNaiveFile,
} from './seed.js';
import { benchSummary } from './summary.js';
import { benchTab } from './tab.js';

const TOTAL = Number(process.env.BENCH_LEADS ?? 100_000);
const CURRENT = Number(process.env.BENCH_CURRENT ?? Math.round(TOTAL / 10));
const INTAKE = Number(process.env.BENCH_INTAKE ?? 3000);
const NAIVE = Number(process.env.BENCH_NAIVE ?? 50);
const BURST = Number(process.env.BENCH_BURST ?? 300);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 50_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const SENDERS = 50;
const CLICK_BURST = Number(process.env.BENCH_CLICK_BURST ?? 1000);
const SECRET = 'bench-secret-0123456789';
const wanted = new Set(process.argv.slice(2));
if (wanted.has('curve')) {
  // The store scenario at three sizes, each in a process of its own (bench/curve.ts).
  await import('./curve.js');
  process.exit(0);
}
/** The Node flags `npm start` runs the app with, so the figures are production's. */
const START_FLAGS: string[] =
  (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.match(
    /--[\w-]+=\S+/g,
  ) ?? [];
const runs = (name: string) => wanted.size === 0 || wanted.has(name);

const results: Record<string, unknown> = {
  at: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
};

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0);
};
const round = (n: number) => Math.round(n * 10) / 10;
const sizeMB = (path: string): number => bytes(path) / 2 ** 20;
function bytes(path: string): number {
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((sum, f) => sum + bytes(join(path, f)), 0) : s.size;
}

function report(name: string, command: string, data: string, figures: Record<string, unknown>) {
  results[name] = { command, data, ...figures };
  process.stdout.write(`\n${name}\n  command: ${command}\n  data:    ${data}\n`);
  for (const [key, value] of Object.entries(figures)) process.stdout.write(`  ${key}: ${value}\n`);
}

interface Server {
  url: string;
  leads: number;
  /** CPU the server used until it listened (all its threads), ms. */
  cpuMs: number;
  rssMB: number;
  heapMB: number;
  readyMs: number;
  /** Stops it; resolves with its memory (MB) just before, after whatever load it had. */
  stop(): Promise<{ rssMB: number; heapMB: number }>;
  /** Ends it as a crash would (SIGKILL); resolves once it is gone. */
  kill(): Promise<void>;
}

/** The app in its own process; resolves once it listens, with the time that took from spawn. */
async function startServer(args: string[], env: Record<string, string> = {}): Promise<Server> {
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', ...START_FLAGS, 'bench/.build/bench/serve.js', ...args],
    {
      env: { ...process.env, LEADS_WEBHOOK_SECRET: SECRET, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Buffered, so no line is missed between two reads; the end of output means the child died.
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const next = async <T>(): Promise<T> => {
    const line = await lines.next();
    if (line.done) throw new Error('the bench server exited early (its error is above)');
    return JSON.parse(line.value) as T;
  };
  const info = await next<{ url: string; leads: number; cpuMs: number }>();
  const readyMs = performance.now() - started;
  const memory = await next<{ rssMB: number; heapMB: number }>();
  return {
    ...info,
    ...memory,
    readyMs,
    async stop() {
      child.kill('SIGTERM');
      const after = await next<{ rssMB: number; heapMB: number }>();
      await exited;
      return after;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** POST with node:http on kept-alive sockets: fetch costs the load generator more CPU than the app. */
function postLead(url: string, body: string, agent: Agent): Promise<{ status: number; text: string }> {
  const target = new URL(`${url}/api/leads`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-leads-key': SECRET,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * `count` Contact me leads from `senders` concurrent senders; the time to each `202`. Given several
 * URLs (instances behind a load balancer), each lead goes to the next, round-robin.
 */
async function sendLeads(url: string | string[], count: number, senders: number, tag: string) {
  const urls = typeof url === 'string' ? [url] : url;
  const agent = new Agent({ keepAlive: true, maxSockets: senders });
  const latencies: number[] = [];
  const ids: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(senders, count) }, async () => {
      while (next < count) {
        const i = next++;
        const body = JSON.stringify({
          UserDetails: { FirstName: `${tag}${i}`, LastName: 'Bench', Email: `${tag}${i}@bench.example.com` },
          LeadSource: 'SPZA-PLT|pub.offer',
          ActionCode: 'PLT',
          OfferTitle: 'Bench',
        });
        const t = performance.now();
        const response = await postLead(urls[i % urls.length] as string, body, agent);
        latencies.push(performance.now() - t);
        const id = response.status === 202 ? (JSON.parse(response.text) as { id?: string }).id : undefined;
        if (!id) throw new Error(`intake answered ${response.status}: ${response.text}`);
        ids.push(id);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, ids, seconds };
}

/** Runs `send` on every item, `width` at a time; resolves once all were answered (bodies read). */
async function inParallel(items: number[], width: number, send: (i: number) => Promise<Response>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const response = await send(items[next++] ?? 0);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

async function timeEach(count: number, send: (i: number) => Promise<Response>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const response = await send(i);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`/api/messages answered ${response.status}`);
    times.push(performance.now() - t);
  }
  return times;
}

/**
 * The earliest each post can reach Teams under every window, sent as soon as allowed, given
 * when each became ready (ms). Returns when the last one goes out.
 */
export function earliestFinish(readyAt: number[], windows: Window[]): number {
  const sent: number[] = [];
  for (const ready of readyAt) {
    const k = sent.length;
    let t = ready;
    for (const { limit, windowMs } of windows)
      if (k >= limit) t = Math.max(t, (sent[k - limit] ?? 0) + windowMs);
    sent.push(t);
  }
  return sent.at(-1) ?? 0;
}

// The app compiled, as `npm start` runs it (tsc takes under a second).
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.bench.json'], {
  stdio: 'inherit',
});

// ─── Seed: a realistic history, generated (about a second per 100,000 leads) ────────────────────
// BENCH_CLOSED_HISTORY=1: leads older than last month are won, lost or disqualified (the seed
// leaves 4 in 7 of them open, which the embedded store must keep in memory).
const CLOSED_HISTORY = process.env.BENCH_CLOSED_HISTORY === '1';
const history = `${TOTAL.toLocaleString('en')} leads (${CURRENT.toLocaleString('en')} this month${CLOSED_HISTORY ? ', older than last month closed' : ''})`;
const closedStatuses: Lead['status'][] = ['won', 'lost', 'disqualified'];
const leads: Lead[] = (
  runs('store') || runs('naive') || runs('backlog') || runs('autoassign') || runs('tab') || runs('msgext')
    ? makeSeedLeads(TOTAL, CURRENT)
    : []
).map((lead, i) =>
  CLOSED_HISTORY && i >= CURRENT && i % 9 >= 1 ? { ...lead, status: closedStatuses[i % 3] ?? 'won' } : lead,
);
const connector = await FakeConnector.start({ channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }] });
let intakeRate = 0;

// ─── The embedded store at full history: cold start, intake, claim, summary ─────────────────────
if (runs('store')) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  await writeMonthFiles(dir, leads);
  const dataSize = `${history}, ${Math.round(sizeMB(dir))} MB in month files`;
  const server = await startServer([dir]);
  report('coldStart', 'npm run bench -- store', dataSize, {
    'ready (spawn to listening), ms': Math.round(server.readyMs),
    'CPU until listening (all threads), ms': Math.round(server.cpuMs),
    'RSS when ready, MB': Math.round(server.rssMB),
    'leads loaded': server.leads,
  });

  await sendLeads(server.url, 100, SENDERS, 'warm'); // connections and JIT, not measured
  const intake = await sendLeads(server.url, INTAKE, SENDERS, 'new');
  intakeRate = INTAKE / intake.seconds;
  report(
    'intake',
    'npm run bench -- store',
    `${dataSize}; ${INTAKE} new leads, ${SENDERS} concurrent senders`,
    {
      'leads/s': Math.round(intakeRate),
      'p50 to 202, ms': pct(intake.latencies, 0.5),
      'p99 to 202, ms': pct(intake.latencies, 0.99),
    },
  );

  await (await postJson(`${server.url}/api/messages`, installActivity(connector.url))).arrayBuffer();
  // Unclaimed seeded leads (every 7th is new), each in its own thread as in Teams.
  const claimCount = Math.min(Number(process.env.BENCH_CLAIMS ?? 200), Math.floor(TOTAL / 7));
  const claimOf = (i: number) => {
    const lead = leads[i] as Lead;
    return postJson(
      `${server.url}/api/messages`,
      cardActionActivity(connector.url, {
        threadId: seedThread(i),
        activityId: `seed-${i}`,
        verb: 'lead.claim',
        data: { leadId: lead.id, version: lead.version },
      }),
    );
  };
  // The card burst: CLICK_BURST other claims on other cards, 50 at a time, whose card updates
  // fill the tenant's 50 per second (each in its own thread) while the measured claims run.
  const burstCount = Math.max(0, Math.min(CLICK_BURST, Math.floor(TOTAL / 7) - claimCount));
  const burstLeads = Array.from({ length: burstCount }, (_, k) => (claimCount + k) * 7);
  const updatesBefore = connector.updates().length;
  const burstDone = inParallel(burstLeads, 50, claimOf);
  if (burstCount > 0) await connector.waitFor(() => connector.updates().length - updatesBefore >= 50, 60_000);
  const open = Array.from({ length: claimCount }, (_, k) => k * 7);
  const claims = await timeEach(open.length, (k) => claimOf(open[k] ?? 0));
  const updatesDuring = connector.updates().length - updatesBefore;
  await burstDone;
  report(
    'claim',
    'npm run bench -- store',
    `${dataSize}; ${open.length} lead.claim invokes, one at a time, during a burst of ${burstCount} other claims (50 at a time) whose card updates fill the tenant's 50/s`,
    {
      'p50, ms': pct(claims, 0.5),
      'p99, ms': pct(claims, 0.99),
      'card updates that reached Teams meanwhile': updatesDuring,
    },
  );

  const summaries = await timeEach(20, () =>
    postJson(`${server.url}/api/messages`, channelMessage(connector.url, 'summary month')),
  );
  report(
    'summaryMonth',
    'npm run bench -- store',
    `${dataSize}; 20 "summary month" messages, card reply included`,
    {
      'p50, ms': pct(summaries, 0.5),
      'max, ms': pct(summaries, 1),
    },
  );
  // `lead <id>` of leads from the seeded months before the last, a different month each time (each
  // month read from disk when the store keeps only the current period), and `find` over all history.
  const oldLeads = leads.filter((_, i) => i >= CURRENT && i % 9 >= 1).slice(0, 16);
  const lookups = await timeEach(oldLeads.length, (k) =>
    postJson(`${server.url}/api/messages`, channelMessage(connector.url, `lead ${oldLeads[k]?.id}`)),
  );
  const finds = await timeEach(5, (k) =>
    postJson(`${server.url}/api/messages`, channelMessage(connector.url, `find Customer ${k * 97}`)),
  );
  report(
    'oldLead',
    'npm run bench -- store',
    `${dataSize}; ${oldLeads.length} "lead <id>" of leads 2–9 months old, then 5 "find <company>"`,
    {
      'lead <id> p50 / max, ms': `${pct(lookups, 0.5)} / ${pct(lookups, 1)}`,
      'find p50 / max, ms': `${pct(finds, 0.5)} / ${pct(finds, 1)}`,
    },
  );
  const after = await server.stop();
  report('memory', 'npm run bench -- store', `${dataSize}; after a full GC each time`, {
    'when ready: RSS, heap used, MB': `${Math.round(server.rssMB)}, ${Math.round(server.heapMB)}`,
    'after intake, claims and summaries: RSS, heap used, MB': `${Math.round(after.rssMB)}, ${Math.round(after.heapMB)}`,
  });
  // A second start on the same folder: the closed months' index files were written by the first.
  // Then the intake again: the first start's intake shares the CPU with writing those files (a
  // one-off after an upgrade), this one is what a running bot sees.
  const again = await startServer([dir]);
  await sendLeads(again.url, 100, SENDERS, 'warm-again');
  const steady = await sendLeads(again.url, INTAKE, SENDERS, 'again');
  await again.stop();
  report(
    'restart',
    'npm run bench -- store',
    `${dataSize}; the same folder started again, then ${INTAKE} new leads`,
    {
      'ready (spawn to listening), ms': Math.round(again.readyMs),
      'RSS when ready, MB': Math.round(again.rssMB),
      'intake: leads/s': Math.round(INTAKE / steady.seconds),
      'intake: p50 / p99 to 202, ms': `${pct(steady.latencies, 0.5)} / ${pct(steady.latencies, 0.99)}`,
    },
  );
  rmSync(dir, { recursive: true, force: true });
}

// ─── The naive baseline: one lowdb file, rewritten whole on each change ─────────────────────────
if (runs('naive')) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-naive-'));
  const file = join(dir, 'naive.json');
  await writeNaiveFile(file, leads);
  const server = await startServer([dir, '--naive', file]);
  await sendLeads(server.url, 2, 1, 'warm');
  const intake = await sendLeads(server.url, NAIVE, SENDERS, 'naive');
  const rate = NAIVE / intake.seconds;
  report(
    'naiveIntake',
    'npm run bench -- store naive',
    `${history} in one ${Math.round(sizeMB(file))} MB file; ${NAIVE} new leads, ${SENDERS} concurrent senders`,
    {
      'leads/s': round(rate),
      'p50 to 202, ms': pct(intake.latencies, 0.5),
      'p99 to 202, ms': pct(intake.latencies, 0.99),
      ...(intakeRate ? { 'embedded store vs this, ×': round(intakeRate / rate) } : {}),
    },
  );
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

// ─── Delivery: a burst into one channel, under Teams' per-thread limits ─────────────────────────
if (runs('delivery')) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-delivery-'));
  const teams = await FakeConnector.start({
    channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }],
    enforceTeamsLimits: true,
  });
  const server = await startServer([dir]);
  await (await postJson(`${server.url}/api/messages`, installActivity(teams.url))).arrayBuffer();
  const welcome = await teams.waitFor((r) => r.kind === 'create' && r.body?.activity, 10_000);
  const started = Date.now();
  const burst = await sendLeads(server.url, BURST, BURST, 'burst');
  // Tally each post once as it arrives: this process is also the connector, so it must stay quick.
  const postsOf = new Map<string, number[]>(); // lead id → arrival times of its cards
  let seen = 0;
  const tally = () => {
    for (; seen < teams.requests.length; seen++) {
      const r = teams.requests[seen];
      if (r?.kind !== 'create' || !r.body?.activity || r.at < started) continue;
      const ids = new Set(
        [...JSON.stringify(r.body.activity).matchAll(/"leadId":"([^"]+)"/g)].map((m) => m[1]),
      );
      for (const id of ids) if (id) postsOf.set(id, [...(postsOf.get(id) ?? []), r.at]);
    }
    return burst.ids.every((id) => postsOf.has(id));
  };
  await teams.waitFor(tally, 10 * 60_000);
  const last = Math.max(...burst.ids.flatMap((id) => postsOf.get(id) ?? []));
  // The cards and the backlog notice: every post into the channel until the last card.
  const posts = teams.channelPosts().filter((r) => r.at >= started && r.at <= last);
  // Every post could go the moment the burst began; the welcome card had taken its slot before.
  const minimum = earliestFinish([welcome.at - started, ...posts.map(() => 0)], TEAMS_THREAD_WINDOWS);
  const seconds = (last - started) / 1000;
  const perLead = burst.ids.map((id) => postsOf.get(id)?.length ?? 0);
  report(
    'delivery',
    'npm run bench -- delivery',
    `${BURST} leads sent at once (accepted in ${round(burst.seconds)} s) to one channel; connector answers 429 beyond 7/1 s, 8/2 s, 60/30 s, 1800/h per thread`,
    {
      'all delivered after, s': round(seconds),
      'theoretical minimum, s': round(minimum / 1000),
      'ratio to minimum': Math.round((seconds * 1000 * 100) / minimum) / 100,
      'posts into the channel': posts.length,
      '429s provoked': teams.throttled,
      lost: perLead.filter((n) => n === 0).length,
      duplicated: perLead.filter((n) => n > 1).length,
    },
  );
  await server.stop();
  await teams.close();
  rmSync(dir, { recursive: true, force: true });
}

// ─── Backlog: intake while Teams is down and cards pile up, beside intake with none waiting ─────
if (runs('backlog')) {
  const teams = await FakeConnector.start({ channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }] });
  teams.failNext(Number.POSITIVE_INFINITY, 503, { kind: 'create' }); // down: every card stays pending
  const backlog = Math.min(BACKLOG, TOTAL);
  /** Intake into the full history with `pending` of its cards waiting; new leads' cards join them. */
  const intakeWith = async (pending: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-backlog-'));
    await writeMonthFiles(dir, withPendingCards(leads, pending), installedMeta(teams.url));
    const server = await startServer([dir]);
    await sendLeads(server.url, 100, SENDERS, 'warm');
    const intake = await sendLeads(server.url, INTAKE, SENDERS, `backlog${pending}-`);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    return { rate: INTAKE / intake.seconds, p99: pct(intake.latencies, 0.99) };
  };
  // Each twice, in the order none, backlog, backlog, none, so neither gains from going second (warm
  // JIT, page cache) and drift in the machine's load falls on both alike; the better run counts.
  const rounds: Array<{ rate: number; p99: number }>[] = [[], []];
  for (const pending of [0, backlog, backlog, 0]) rounds[pending ? 1 : 0]?.push(await intakeWith(pending));
  const best = (of: Array<{ rate: number; p99: number }> = []) =>
    of.reduce((a, b) => (b.rate > a.rate ? b : a), { rate: 0, p99: 0 });
  const none = best(rounds[0]);
  const waiting = best(rounds[1]);
  report(
    'backlogIntake',
    'npm run bench -- backlog',
    `${history}, bot installed, Teams answering 503 to every card; ${INTAKE} new leads, ${SENDERS} concurrent senders; best of 2 runs each`,
    {
      'no cards pending: leads/s, p99 to 202 ms': `${Math.round(none.rate)}, ${none.p99}`,
      [`${backlog.toLocaleString('en')} cards pending: leads/s, p99 to 202 ms`]: `${Math.round(waiting.rate)}, ${waiting.p99}`,
      'slowdown with the backlog, ×': round(none.rate / waiting.rate),
      ...(intakeRate ? { 'store scenario intake (no channel), leads/s': Math.round(intakeRate) } : {}),
    },
  );
  await teams.close();
}

// ─── Automatic assignment: intake with auto-assign on (10 sellers) beside it off ────────────────
if (runs('autoassign')) {
  const sellers = Array.from({ length: 10 }, (_, i) => ({
    id: `29:seller-${i}`,
    aadObjectId: `aad-seller-${i}`,
    name: `Seller ${i}`,
    email: `seller${i}@contoso.com`,
  }));
  type Run = { rate: number; p99: number; cpuUs: number };
  const intakeWith = async (on: boolean): Promise<Run> => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-autoassign-'));
    const meta = installedMeta(connector.url);
    meta.installations = meta.installations.map((i) => ({
      ...i,
      members: sellers,
      membersReadAt: new Date().toISOString(),
    }));
    if (on)
      meta.autoAssign = [
        { teamId: meta.installations[0]?.teamId ?? '', enabled: true, rules: [], turns: {} },
      ];
    await writeMonthFiles(dir, leads, meta);
    const server = await startServer([dir]);
    await sendLeads(server.url, 100, SENDERS, 'warm');
    const before = cpuSeconds();
    const intake = await sendLeads(server.url, INTAKE, SENDERS, `auto${on ? 'on' : 'off'}-`);
    const cpu = cpuUsed(before, cpuSeconds());
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    return {
      rate: INTAKE / intake.seconds,
      p99: pct(intake.latencies, 0.99),
      cpuUs: Math.round((cpu.instances * 1e6) / INTAKE),
    };
  };
  // off, on, on, off, off, on: neither gains from going first or last; the best run of each counts
  // (a run the machine slowed for a moment says nothing of the code), its spread is printed too.
  const rounds: Run[][] = [[], []];
  for (const on of [false, true, true, false, false, true]) rounds[on ? 1 : 0]?.push(await intakeWith(on));
  const describe = (of: Run[] = []) => {
    const best = of.reduce((a, b) => (b.rate > a.rate ? b : a));
    const rates = of.map((r) => Math.round(r.rate)).sort((a, b) => a - b);
    const cpu = of.map((r) => r.cpuUs).sort((a, b) => a - b);
    return {
      best,
      text: `${Math.round(best.rate)} (runs ${rates.join(', ')}), ${best.p99}, ${cpu[1] ?? cpu[0]}`,
    };
  };
  const off = describe(rounds[0]);
  const on = describe(rounds[1]);
  report(
    'autoAssignIntake',
    'npm run bench -- autoassign',
    `${history}, bot installed with 10 members, cards and owners' notices to a local fake Teams; ${INTAKE} new leads, ${SENDERS} concurrent senders; 3 runs each, alternated`,
    {
      'auto-assign off: leads/s best (all runs), p99 to 202 ms, app CPU µs per lead (median)': off.text,
      'auto-assign on: leads/s best (all runs), p99 to 202 ms, app CPU µs per lead (median)': on.text,
      'on vs off (best runs), %': Math.round((on.best.rate / off.best.rate - 1) * 100),
    },
  );
}

// ─── Import: a Partner Center export of 5,000 rows, into an installed bot's store ───────────────
if (runs('import')) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const server = await startServer([dir]);
  // Installed, so every recovered lead is routed and its card queued, as in production.
  await (await postJson(`${server.url}/api/messages`, installActivity(connector.url))).arrayBuffer();
  report(
    'import',
    'npm run bench -- import',
    `${IMPORT_ROWS.toLocaleString('en')}-row Partner Center export (all new, then the same file again), empty store, bot installed`,
    await benchImport(server.url, SECRET),
  );
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

// ─── Import bombs: /healthz and the webhook while files built to stall the server are refused ────
if (runs('import-bomb')) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-bomb-'));
  const server = await startServer([dir]);
  await postJson(`${server.url}/api/messages`, installActivity(connector.url)).then((r) => r.arrayBuffer());
  report(
    'importBomb',
    'npm run bench -- import-bomb',
    'empty store, bot installed; one client calling /healthz and the lead webhook in turn, for ' +
      `${process.env.BENCH_BOMB_SECONDS ?? 8} s alone, then ${process.env.BENCH_BOMB_SECONDS ?? 8} s while another ` +
      'sends import bombs one after another (1,000,000 one-character rows, 2 MB; one 9 MB line; 9 MB of commas after a header)',
    await benchImportBomb(server.url, SECRET, pct),
  );
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

// ─── Lead events: per second to a local receiver, with the cards still on time ──────────────────
if (runs('events')) {
  await benchEvents(
    {
      startServer,
      sendLeads,
      postJson,
      tempDir: () => mkdtempSync(join(tmpdir(), 'bench-events-')),
      removeDir: (dir) => rmSync(dir, { recursive: true, force: true }),
      earliestFinish,
      report,
      pct,
      round,
    },
    EVENTS,
  );
}

// ─── The Leads tab: its API at full history, its first paint in the local tab host ──────────────
if (runs('summary')) await benchSummary(report, pct);
if (runs('tab')) await benchTab({ leads, history, connectorUrl: connector.url, startServer, report, pct });
if (runs('msgext'))
  await benchMsgext({ leads, history, connectorUrl: connector.url, startServer, report, pct });

// ─── Azure Tables: two instances on Azurite, beside the embedded store; transactions counted ────
if (runs('azure')) await benchAzure({ startServer, sendLeads, postJson, earliestFinish, report, pct, round });

await connector.close();
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write('\nsaved bench/results/latest.json\n');
