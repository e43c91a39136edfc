// `npm run bench -- azure`: two instances on one Azure Table store (Azurite, in memory, on this
// machine), beside one instance of the embedded store doing the same: intake with 50 senders
// round-robin over the instances, claims, `summary month` at 10,000 leads, delivery of a burst
// under Teams' limits, failover after kill -9 of the leader (production's 30 s lease), and the
// Azure Table transactions each of these costs, counted by a proxy in front of Azurite, for the
// README's monthly cost estimate.
import { cpus } from 'node:os';
import type { Window } from '../src/delivery/rate-limiter.js';
import { AzureTableStore } from '../src/store/azure-table-store.js';
import { installActivity, LEADS_CHANNEL_ID } from '../test/fakes/activities.js';
import { startAzurite } from '../test/fakes/azurite.js';
import { FakeConnector } from '../test/fakes/fake-connector.js';
import {
  azureEnv,
  claimEach,
  inParallel,
  lastThirtyDays,
  rawInsertRate,
  rawMonthRead,
  recountCost,
  summaryEach,
  withEmbedded,
  withPair,
} from './azure-setup.js';
import { deliver, failOver, leaderOf } from './azure-teams.js';
import { cpuSeconds, describeCpu } from './child-cpu.js';
import { makeSeedLeads } from './seed.js';
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

export interface BenchServer {
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
    const raw = await rawInsertRate(azurite, RAW_INSERTS, SENDERS);
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
    const delivery = await deliver(deps, CARDS, teams, urls, seeder, both);
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
    const failover = await failOver(deps, FAILOVER_CARDS, teams, servers, alive);

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
