// `npm run bench -- azure`: two instances on one Azure Table store (Azurite, in memory, on this
// machine), beside one instance of the embedded store doing the same: intake with 50 senders
// round-robin over the instances, claims, `summary month` at 10,000 leads, delivery of a burst
// under Teams' limits, failover after kill -9 of the leader (production's 30 s lease), and the
// Azure Table transactions each of these costs, counted by a proxy in front of Azurite, for the
// README's monthly cost estimate.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { odata, TableClient } from '@azure/data-tables';
import { TEAMS_THREAD_WINDOWS, type Window } from '../src/delivery/rate-limiter.js';
import type { Lead } from '../src/leads/lead.js';
import { AzureTableStore } from '../src/store/azure-table-store.js';
import {
  cardActionActivity,
  channelMessage,
  installActivity,
  LEADS_CHANNEL_ID,
} from '../test/fakes/activities.js';
import { type Azurite, startAzurite } from '../test/fakes/azurite.js';
import { FakeConnector } from '../test/fakes/fake-connector.js';
import { cpuSeconds, describeCpu } from './child-cpu.js';
import { makeSeedLeads, seedThread, writeMonthFiles } from './seed.js';
import {
  type CountingProxy,
  type Counts,
  describeKinds,
  since,
  startCountingProxy,
  sum,
} from './table-counter.js';

const COMMAND = 'npm run bench -- azure';
const INTAKE = Number(process.env.BENCH_AZURE_INTAKE ?? 2000);
const MONTH = Number(process.env.BENCH_AZURE_MONTH ?? 10_000);
const CLAIMS = Number(process.env.BENCH_AZURE_CLAIMS ?? 200);
const SUMMARIES = Number(process.env.BENCH_AZURE_SUMMARIES ?? 10);
const CARDS = Number(process.env.BENCH_AZURE_CARDS ?? 120);
const FAILOVER_CARDS = 20;
const IDLE_MS = Number(process.env.BENCH_AZURE_IDLE_SECONDS ?? 60) * 1000;
const RAW_INSERTS = 2000;
/** Claims and summaries first made on each instance unmeasured (JIT, connections), as the store scenario warms up. */
const WARM = 2;
const SENDERS = 50;
/** Each instance counts the leads stored ~10 s after it starts (a recount): counted apart. */
const RECOUNT_AFTER_START_MS = 12_000;

interface BenchServer {
  url: string;
  stop(): Promise<unknown>;
  kill(): Promise<void>;
}

export interface AzureBenchDeps {
  startServer(args: string[], env?: Record<string, string>): Promise<BenchServer>;
  sendLeads(
    url: string | string[],
    count: number,
    senders: number,
    tag: string,
  ): Promise<{ latencies: number[]; ids: string[]; seconds: number }>;
  postJson(url: string, body: unknown): Promise<Response>;
  earliestFinish(readyAt: number[], windows: Window[]): number;
  report(name: string, command: string, data: string, figures: Record<string, unknown>): void;
  pct(values: number[], p: number): number;
  round(n: number): number;
}

export async function benchAzure(deps: AzureBenchDeps): Promise<void> {
  const { report, pct, round } = deps;
  const azurite = await startAzurite();
  const cleanup: Array<() => Promise<unknown> | unknown> = [() => azurite.dispose()];
  try {
    const raw = await rawInsertRate(azurite);
    report(
      'azureRawInsert',
      COMMAND,
      `Azurite (in memory) alone: ${RAW_INSERTS} single-entity inserts, ${SENDERS} at a time, from this process`,
      {
        'inserts/s': Math.round(raw.rate),
        'p50, p99 ms': `${raw.p50}, ${raw.p99}`,
      },
    );

    // ─── Intake: empty stores, no Teams installation (as the store scenario) ──────────────────
    const intakeAzure = await withPair(
      deps,
      azurite.connectionString,
      azurite.freshPrefix(),
      async ([a, b]) => {
        await deps.sendLeads([a.url, b.url], 100, SENDERS, 'warm');
        const before = cpuSeconds();
        const run = await deps.sendLeads([a.url, b.url], INTAKE, SENDERS, 'azure');
        return { ...run, cpu: describeCpu(before, cpuSeconds()) };
      },
    );
    const intakeEmbedded = await withEmbedded(deps, undefined, async (server) => {
      await deps.sendLeads(server.url, 100, SENDERS, 'warm');
      return deps.sendLeads(server.url, INTAKE, SENDERS, 'embedded');
    });
    const intakeFigures = (r: { latencies: number[]; seconds: number }) =>
      `${Math.round(INTAKE / r.seconds)}, ${pct(r.latencies, 0.5)}, ${pct(r.latencies, 0.99)}`;
    report(
      'azureIntake',
      COMMAND,
      `${INTAKE} new leads into an empty store, ${SENDERS} concurrent senders (round-robin over the instances)`,
      {
        'Azure Tables, 2 instances: leads/s, p50, p99 to 202 ms': intakeFigures(intakeAzure),
        'embedded store, 1 instance: leads/s, p50, p99 to 202 ms': intakeFigures(intakeEmbedded),
        'targets (Azure)': '≥ 300 leads/s, p99 ≤ 150 ms',
        [`Azure: CPU used in its ${round(intakeAzure.seconds)} s on ${cpus().length} cores`]: intakeAzure.cpu,
      },
    );

    // ─── A month of 10,000 leads, through the store API ───────────────────────────────────────
    const leads = lastThirtyDays(makeSeedLeads(MONTH, MONTH));
    const prefix = azurite.freshPrefix();
    const seeder = await AzureTableStore.open({
      connectionString: azurite.connectionString,
      prefix,
      clientOptions: azurite.clientOptions,
    });
    cleanup.push(() => seeder.close());
    const seedStarted = performance.now();
    await inParallel(leads, SENDERS, (lead) => seeder.createLead(lead));
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const monthData = `${MONTH.toLocaleString('en')} leads received in the last 30 days (2 month partitions), each with its card posted`;

    // ─── Two instances through counting proxies (one each) on that store; Teams enforcing limits ─
    const teams = await FakeConnector.start({
      channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }],
      enforceTeamsLimits: true,
    });
    cleanup.push(() => teams.close());
    const proxies = [
      await startCountingProxy(azurite, prefix),
      await startCountingProxy(azurite, prefix),
    ] as const;
    cleanup.push(...proxies.map((p) => () => p.close()));
    const pairStarted = Date.now();
    const servers: BenchServer[] = [];
    for (const proxy of proxies)
      servers.push(await deps.startServer(['unused'], azureEnv(proxy.connectionString, prefix)));
    const alive = new Set(servers);
    cleanup.push(() => Promise.all([...alive].map((s) => s.stop())));
    const urls = servers.map((s) => s.url);
    await (await deps.postJson(`${urls[0]}/api/messages`, installActivity(teams.url))).arrayBuffer();
    await teams.waitFor((r) => r.kind === 'create' && r.body?.activity, 10_000); // the welcome card
    const both = () => sum(...proxies.map((p) => p.counts()));

    // ─── Delivery first: a burst into one channel, over both instances, under Teams' limits ─────
    // (Each instance recounts the leads ~10 s after it starts, meanwhile: taken off below.)
    const delivery = await deliver(deps, teams, urls, seeder, both);
    const recountsInDelivery = Date.now() >= pairStarted + RECOUNT_AFTER_START_MS ? 2 : 0;
    report(
      'azureDelivery',
      COMMAND,
      `${CARDS} leads sent at once (accepted in ${round(delivery.acceptSeconds)} s) round-robin to the 2 instances, one channel; connector answers 429 beyond 7/1 s, 8/2 s, 60/30 s, 1800/h per thread`,
      {
        'all delivered after, s': round(delivery.seconds),
        'theoretical minimum, s': round(delivery.minimumMs / 1000),
        'first card after, s; longest gap between two, s': `${round(delivery.firstCardMs / 1000)}; ${round(delivery.longestGapMs / 1000)}`,
        'ratio to minimum (target ≤ 1.1)':
          Math.round((delivery.seconds * 100_000) / delivery.minimumMs) / 100,
        '429s provoked': delivery.throttled,
        lost: delivery.lost,
        duplicated: delivery.duplicated,
      },
    );

    // ─── Claims and summaries on the month, alternating instances ──────────────────────────────
    const leader = await leaderOf(urls);
    const follower = 1 - leader;
    // Warm (JIT, connections), not measured: a claim and a summary on each instance.
    await claimEach(urls, leads, teams.url, deps, WARM);
    await summaryEach(urls, teams.url, WARM, SUMMARIES);
    const beforeClaims = both();
    const claimsStarted = performance.now();
    const claims = await claimEach(urls, leads, teams.url, deps, CLAIMS, WARM);
    const claimsMs = performance.now() - claimsStarted;
    const claimCounts = since(both(), beforeClaims);

    const followerBefore = (proxies[follower] as CountingProxy).counts();
    const summariesStarted = performance.now();
    const summaries = await summaryEach(urls, teams.url, SUMMARIES);
    const summariesMs = performance.now() - summariesStarted;
    const followerSummaryCounts = since((proxies[follower] as CountingProxy).counts(), followerBefore);
    const followerSummaries = summaries.filter((_, k) => k % urls.length === follower).length;
    const rawRead = await rawMonthRead(azurite, prefix, leads);

    // ─── Idle: nothing arriving, the lease renewed, sweeps and scheduled jobs running ──────────
    // Meanwhile the embedded store does the same claims and summaries on the same month: what is
    // counted here is requests to Azure, which the idle pair makes on its timers whatever the load.
    const idleBefore = proxies.map((p) => p.counts());
    const idleStarted = performance.now();
    const plain = await FakeConnector.start({ channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }] });
    cleanup.push(() => plain.close());
    const embedded = await withEmbedded(deps, leads, async (server) => {
      await (await deps.postJson(`${server.url}/api/messages`, installActivity(plain.url))).arrayBuffer();
      return {
        warm: [
          await claimEach([server.url], leads, plain.url, deps, WARM),
          await summaryEach([server.url], plain.url, WARM, SUMMARIES),
        ],
        claims: await claimEach([server.url], leads, plain.url, deps, CLAIMS, WARM),
        summaries: await summaryEach([server.url], plain.url, SUMMARIES),
      };
    });
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, IDLE_MS - (performance.now() - idleStarted))),
    );
    const idle = proxies.map((p, k) => since(p.counts(), idleBefore[k] as Counts));
    const idleBoth = sum(...idle);
    const perMs = (c: Counts) => c.requests / IDLE_MS;

    report(
      'azureClaim',
      COMMAND,
      `${monthData}; lead.claim invokes one at a time through /api/messages, each a different unclaimed lead (Azure: alternating instances)`,
      {
        'Azure Tables, 2 instances: p50, p99 ms': `${pct(claims, 0.5)}, ${pct(claims, 0.99)} (${claims.length} claims)`,
        'embedded store, 1 instance: p50, p99 ms': `${pct(embedded.claims, 0.5)}, ${pct(embedded.claims, 0.99)} (${embedded.claims.length} claims)`,
        'target (Azure)': 'p99 ≤ 100 ms',
      },
    );
    report(
      'azureSummaryMonth',
      COMMAND,
      `${monthData}; ${SUMMARIES} "summary month" messages from a manager, one at a time, card reply included (Azure: alternating instances)`,
      {
        'Azure Tables, 2 instances: p50, max ms': `${pct(summaries, 0.5)}, ${pct(summaries, 1)}`,
        'embedded store, 1 instance: p50, max ms': `${pct(embedded.summaries, 0.5)}, ${pct(embedded.summaries, 1)}`,
        'target (Azure)': '≤ 1 s',
        "Azurite alone, from this process: the 30 days' lead rows read with the summary's filter, partitions in parallel, ms": `${rawRead.ms} (${rawRead.rows.toLocaleString('en')} rows, ${rawRead.pages} pages)`,
        'seeded through AzureTableStore.createLead, 50 at a time, leads/s': Math.round(MONTH / seedSeconds),
      },
    );
    const recount = await recountCost(azurite, prefix);

    // ─── Failover: kill -9 the leader with cards pending; the other posts the next card ────────
    const failover = await failOver(deps, teams, servers, alive);

    // Transactions: what each stretch cost, less what the pair spends idle in that time.
    const idleRate = perMs(idleBoth);
    const net = (c: Counts, ms: number, rate = idleRate) => Math.max(0, c.requests - rate * ms);
    // The delivery began as the instances started: their first recount fell in it.
    const perLead =
      (net(delivery.counts, delivery.countedMs) - recountsInDelivery * recount.requests) / CARDS;
    const perClaim = net(claimCounts, claimsMs) / claims.length;
    const perSummary =
      net(
        followerSummaryCounts,
        summariesMs * (followerSummaries / summaries.length),
        perMs(idle[follower] as Counts),
      ) / followerSummaries;
    const perHour = (c: Counts) => Math.round((c.requests * 3_600_000) / IDLE_MS);
    report(
      'azureTransactions',
      COMMAND,
      `Azure Table requests (each a billed transaction: a point read or write, a query page of up to 1,000 entities, an entity-group transaction) counted by a proxy in front of Azurite; ${monthData}; idle taken from a measured ${IDLE_MS / 1000} s and taken off the other figures`,
      {
        'per lead received (webhook → stored → card posted and recorded)': `${round(perLead)} (${CARDS} leads; ${describeKinds(delivery.counts.byKind, 1 / CARDS)} per lead before the idle share and the instances' start-up recounts; ${delivery.counts.batchOperations} entity operations in its transactions)`,
        'per claim (card invoke, card updated)': `${round(perClaim)} (${claims.length} claims; ${describeKinds(claimCounts.byKind, 1 / claims.length)} per claim before the idle share)`,
        [`per "summary month" at ${MONTH.toLocaleString('en')} leads`]: `${round(perSummary)} (the ${followerSummaries} asked of the instance not holding the lease: ${describeKinds(followerSummaryCounts.byKind, 1 / followerSummaries)} each)`,
        'idle hour, the pair (60 × a measured minute)': `${perHour(idleBoth)} (leader ${perHour(idle[leader] as Counts)}: ${describeKinds(idle[leader]?.byKind ?? {}, 3_600_000 / IDLE_MS)}; follower ${perHour(idle[follower] as Counts)}: ${describeKinds(idle[follower]?.byKind ?? {}, 3_600_000 / IDLE_MS)})`,
        'idle hour, the pair, queries by filter': describeKinds(idleBoth.byQuery, 3_600_000 / IDLE_MS),
        'hourly recount, each instance (not in a measured minute)': `${recount.requests} (${describeKinds(recount.byKind)})`,
        'idle hour, the pair, recounts included': perHour(idleBoth) + 2 * recount.requests,
        'idle month (730 h), the pair, recounts included': (
          (perHour(idleBoth) + 2 * recount.requests) *
          730
        ).toLocaleString('en'),
      },
    );
    report(
      'azureFailover',
      COMMAND,
      `${FAILOVER_CARDS} leads sent round-robin, kill -9 of the leader after its first cards (${failover.pendingAtKill} pending then); LEASE_TTL_SECONDS=30 (default, renewed every 10 s); same channel, Teams limits enforced`,
      {
        'next card posted after the kill, s (target ≤ 35)': round(failover.nextCardMs / 1000),
        "the other's /healthz says leader after, s (polled; it answers late while starting its work)": round(
          failover.takeoverMs / 1000,
        ),
        'all cards posted after the kill, s': round(failover.allPostedMs / 1000),
        lost: failover.lost,
        'posted twice (at most the one in flight)': failover.duplicated,
        '429s provoked': failover.throttled,
      },
    );
  } finally {
    for (const step of cleanup.reverse())
      await Promise.resolve()
        .then(step)
        .catch(() => undefined);
  }
}

// ─── Parts ────────────────────────────────────────────────────────────────────────────────────

function azureEnv(connectionString: string, prefix: string): Record<string, string> {
  // LEASE_TTL_SECONDS left to its default (30 s): the bench measures production's settings.
  return {
    STORE: 'azure-table',
    AZURE_STORAGE_CONNECTION_STRING: connectionString,
    AZURE_TABLE_PREFIX: prefix,
  };
}

/** Two instances on one store, started one after the other (as a deploy would), stopped after. */
async function withPair<T>(
  deps: AzureBenchDeps,
  connectionString: string,
  prefix: string,
  run: (servers: [BenchServer, BenchServer]) => Promise<T>,
): Promise<T> {
  const a = await deps.startServer(['unused'], azureEnv(connectionString, prefix));
  const b = await deps.startServer(['unused'], azureEnv(connectionString, prefix)).catch(async (error) => {
    await a.stop();
    throw error;
  });
  try {
    return await run([a, b]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

/** One embedded-store instance in a fresh data directory, seeded with `leads` if given. */
async function withEmbedded<T>(
  deps: AzureBenchDeps,
  leads: Lead[] | undefined,
  run: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-azure-embedded-'));
  try {
    if (leads) await writeMonthFiles(dir, leads);
    const server = await deps.startServer([dir]);
    try {
      return await run(server);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Azurite's own pace for the simplest write, for context: what bounds the app's intake. */
async function rawInsertRate(azurite: Azurite) {
  const client = TableClient.fromConnectionString(
    azurite.connectionString,
    'benchrawinserts',
    azurite.clientOptions,
  );
  await client.createTable();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < RAW_INSERTS) {
        const i = next++;
        const t = performance.now();
        await client.createEntity({
          partitionKey: String(i % 16),
          rowKey: `r${i}`,
          n: i,
          text: 'x'.repeat(200),
        });
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round((sorted[Math.ceil(p * sorted.length) - 1] ?? 0) * 10) / 10;
  return { rate: RAW_INSERTS / seconds, p50: at(0.5), p99: at(0.99) };
}

/** The seeded leads spread evenly over the last 29.5 days, so "summary month" (30 days) covers all. */
function lastThirtyDays(leads: Lead[], now = Date.now()): Lead[] {
  const span = 29.5 * 86_400_000;
  return leads.map((lead, i) => ({
    ...lead,
    receivedAt: new Date(now - 60_000 - Math.floor((span * i) / leads.length)).toISOString(),
  }));
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/**
 * `count` claims of unclaimed seeded leads (every 7th is new; from the `skip`th on), one at a time,
 * alternating `urls`.
 */
async function claimEach(
  urls: string[],
  leads: Lead[],
  serviceUrl: string,
  deps: AzureBenchDeps,
  count: number,
  skip = 0,
): Promise<number[]> {
  const open = leads.filter((lead) => lead.status === 'new').slice(skip, skip + count);
  if (open.length < count)
    throw new Error(`bench: only ${open.length} unclaimed leads to claim, not ${count}`);
  const times: number[] = [];
  for (const [k, lead] of open.entries()) {
    const activityId = lead.deliveries[0]?.activityId as string;
    const t = performance.now();
    const response = await deps.postJson(
      `${urls[k % urls.length]}/api/messages`,
      cardActionActivity(serviceUrl, {
        threadId: lead.deliveries[0]?.threadId as string,
        activityId,
        verb: 'lead.claim',
        data: { leadId: lead.id, version: lead.version },
      }),
    );
    const text = await response.text();
    times.push(performance.now() - t);
    if (response.status !== 200 || !text.includes('Claimed by'))
      throw new Error(`bench: the claim of ${lead.id} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return times;
}

/** `count` "summary month" messages from a manager, each in a thread of its own (Teams paces per thread). */
async function summaryEach(
  urls: string[],
  serviceUrl: string,
  count: number,
  firstThread = 0,
): Promise<number[]> {
  const times: number[] = [];
  for (let k = firstThread; k < firstThread + count; k++) {
    const t = performance.now();
    const response = await fetch(`${urls[k % urls.length]}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(channelMessage(serviceUrl, 'summary month', undefined, seedThread(1_000_000 + k))),
    });
    await response.arrayBuffer();
    times.push(performance.now() - t);
    if (response.status !== 200) throw new Error(`bench: "summary month" answered ${response.status}`);
  }
  return times;
}

async function leaderOf(urls: string[]): Promise<number> {
  let found = -1;
  await waitUntil(
    async () => {
      const leading = await Promise.all(
        urls.map(
          async (url) => ((await (await fetch(`${url}/healthz`)).json()) as { leader: boolean }).leader,
        ),
      );
      found = leading.indexOf(true);
      return found >= 0 && leading.filter(Boolean).length === 1;
    },
    45_000,
    'one instance holding the lease',
  );
  return found;
}

async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Notes when the connector answers a 429 (relative to `from`), seen as the bench polls. */
function throttleWatch(teams: FakeConnector, from: number) {
  let seen = teams.throttled;
  const at: number[] = [];
  return {
    poll() {
      for (; seen < teams.throttled; seen++) at.push(Date.now() - from);
    },
    describe() {
      this.poll();
      return at.length === 0
        ? '0'
        : `${at.length} (at +${at.map((ms) => Math.round(ms / 100) / 10).join(' s, +')} s)`;
    },
  };
}

/** The lead ids each channel post carries, with when it arrived. */
function postsByLead(teams: FakeConnector, from: number): Map<string, number[]> {
  const postsOf = new Map<string, number[]>();
  for (const r of teams.channelPosts()) {
    if (r.at < from) continue;
    for (const [, id] of JSON.stringify(r.body.activity).matchAll(/"leadId":"([^"]+)"/g))
      if (id) postsOf.set(id, [...new Set([...(postsOf.get(id) ?? []), r.at])]);
  }
  return postsOf;
}

async function deliver(
  deps: AzureBenchDeps,
  teams: FakeConnector,
  urls: string[],
  store: AzureTableStore,
  both: () => Counts,
) {
  const before = both();
  const counted = performance.now();
  const started = Date.now();
  const throttled = throttleWatch(teams, started);
  const burst = await deps.sendLeads(urls, CARDS, CARDS, 'burst');
  let postsOf = new Map<string, number[]>();
  await waitUntil(
    () => {
      throttled.poll();
      postsOf = postsByLead(teams, started);
      return burst.ids.every((id) => postsOf.has(id));
    },
    5 * 60_000,
    'every card of the burst',
  );
  const last = Math.max(...burst.ids.flatMap((id) => postsOf.get(id) ?? []));
  // Recorded: no card left pending in the store (read directly, not through the counting proxies).
  await waitUntil(async () => (await store.stats()).pendingDeliveries === 0, 30_000, 'the posts recorded');
  const counts = since(both(), before);
  const countedMs = performance.now() - counted;
  // Every post into the channel until the last card (cards, a backlog notice); those in the hour
  // before took their slots in Teams' windows already.
  const earlier = teams.channelPosts().filter((r) => r.at < started && r.at > started - 3_600_000);
  const posts = teams.channelPosts().filter((r) => r.at >= started && r.at <= last);
  const minimumMs = deps.earliestFinish(
    [...earlier.map((r) => r.at - started), ...posts.map(() => 0)],
    TEAMS_THREAD_WINDOWS,
  );
  const perLead = burst.ids.map((id) => postsOf.get(id)?.length ?? 0);
  const times = posts.map((r) => r.at).sort((x, y) => x - y);
  const gaps = times.slice(1).map((t, k) => t - (times[k] as number));
  return {
    acceptSeconds: burst.seconds,
    firstCardMs: (times[0] ?? started) - started,
    longestGapMs: Math.max(0, ...gaps),
    seconds: (last - started) / 1000,
    minimumMs,
    throttled: throttled.describe(),
    lost: perLead.filter((n) => n === 0).length,
    duplicated: perLead.filter((n) => n > 1).length,
    counts,
    countedMs,
  };
}

/** Azurite's own time to hand over the month partitions the summary reads (no app, no parsing of leads). */
async function rawMonthRead(azurite: Azurite, prefix: string, leads: Lead[]) {
  const client = TableClient.fromConnectionString(
    azurite.connectionString,
    `${prefix}leads`,
    azurite.clientOptions,
  );
  const months = [...new Set(leads.map((lead) => lead.receivedAt.slice(0, 7)))];
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString(); // the summary's filter
  const started = performance.now();
  const counts = await Promise.all(
    months.map(async (month) => {
      let rows = 0;
      let pages = 0;
      const query = client.listEntities({
        queryOptions: { filter: odata`PartitionKey eq ${month} and at ge ${from}` },
      });
      for await (const page of query.byPage({ maxPageSize: 1000 })) {
        rows += page.length;
        pages++;
      }
      return { rows, pages };
    }),
  );
  return {
    ms: Math.round(performance.now() - started),
    rows: counts.reduce((n, c) => n + c.rows, 0),
    pages: counts.reduce((n, c) => n + c.pages, 0),
  };
}

/** What one instance's hourly recount costs at this store's size (a store of the bench's own, proxied). */
async function recountCost(azurite: Azurite, prefix: string): Promise<Counts> {
  const proxy = await startCountingProxy(azurite, prefix);
  const store = await AzureTableStore.open({
    connectionString: proxy.connectionString,
    prefix,
    clientOptions: azurite.clientOptions,
  });
  try {
    const before = proxy.counts();
    await store.recount();
    return since(proxy.counts(), before);
  } finally {
    await store.close();
    await proxy.close();
  }
}

async function failOver(
  deps: AzureBenchDeps,
  teams: FakeConnector,
  servers: BenchServer[],
  alive: Set<BenchServer>,
) {
  const urls = servers.map((s) => s.url);
  const leader = await leaderOf(urls);
  const other = servers[1 - leader] as BenchServer;
  const before = throttleWatch(teams, Date.now());
  const started = Date.now();
  const { ids } = await deps.sendLeads(urls, FAILOVER_CARDS, FAILOVER_CARDS, 'failover');
  await waitUntil(
    () => ids.filter((id) => postsByLead(teams, started).has(id)).length >= 2,
    30_000,
    'the leader posting the first cards',
  );
  await (servers[leader] as BenchServer).kill();
  alive.delete(servers[leader] as BenchServer);
  const killedAt = Date.now();
  const throttledBeforeKill = before.describe();
  const after = throttleWatch(teams, killedAt);
  const pendingAtKill = ids.filter((id) => !postsByLead(teams, started).has(id)).length;
  let takeoverMs = 0;
  let nextCardMs = 0;
  await waitUntil(
    async () => {
      after.poll();
      if (!takeoverMs) {
        const health = (await (await fetch(`${other.url}/healthz`)).json()) as { leader: boolean };
        if (health.leader) takeoverMs = Date.now() - killedAt;
      }
      const next = teams.channelPosts().find((r) => r.at > killedAt);
      if (next && !nextCardMs) nextCardMs = next.at - killedAt;
      return takeoverMs > 0 && nextCardMs > 0;
    },
    90_000,
    'the other instance taking over and posting',
  );
  let postsOf = new Map<string, number[]>();
  await waitUntil(
    () => {
      after.poll();
      postsOf = postsByLead(teams, started);
      return ids.every((id) => postsOf.has(id));
    },
    90_000,
    'every pending card after the failover',
  );
  const perLead = ids.map((id) => postsOf.get(id)?.length ?? 0);
  return {
    pendingAtKill,
    takeoverMs,
    nextCardMs,
    allPostedMs: Math.max(...ids.flatMap((id) => postsOf.get(id) ?? [])) - killedAt,
    lost: perLead.filter((n) => n === 0).length,
    duplicated: perLead.filter((n) => n > 1).length,
    throttled: `${throttledBeforeKill} before the kill, ${after.describe()} after it`,
  };
}
