// The Teams half of `npm run bench -- azure` (bench/azure.ts): a burst of cards over two
// instances under Teams' limits, and a failover after kill -9 of the leader, as Teams sees them.
import { TEAMS_THREAD_WINDOWS } from '../src/delivery/rate-limiter.js';
import type { AzureTableStore } from '../src/store/azure-table-store.js';
import type { FakeConnector } from '../test/fakes/fake-connector.js';
import type { AzureBenchDeps, BenchServer } from './azure.js';
import { type Counts, since } from './table-counter.js';

export async function leaderOf(urls: string[]): Promise<number> {
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

export async function waitUntil(
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
export function throttleWatch(teams: FakeConnector, from: number) {
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
export function postsByLead(teams: FakeConnector, from: number): Map<string, number[]> {
  const postsOf = new Map<string, number[]>();
  for (const r of teams.channelPosts()) {
    if (r.at < from) continue;
    for (const [, id] of JSON.stringify(r.body.activity).matchAll(/"leadId":"([^"]+)"/g))
      if (id) postsOf.set(id, [...new Set([...(postsOf.get(id) ?? []), r.at])]);
  }
  return postsOf;
}

export async function deliver(
  deps: AzureBenchDeps,
  cards: number,
  teams: FakeConnector,
  urls: string[],
  store: AzureTableStore,
  both: () => Counts,
) {
  const before = both();
  const counted = performance.now();
  const started = Date.now();
  const throttled = throttleWatch(teams, started);
  const burst = await deps.sendLeads(urls, cards, cards, 'burst');
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

export async function failOver(
  deps: AzureBenchDeps,
  cards: number,
  teams: FakeConnector,
  servers: BenchServer[],
  alive: Set<BenchServer>,
) {
  const urls = servers.map((s) => s.url);
  const leader = await leaderOf(urls);
  const other = servers[1 - leader] as BenchServer;
  const before = throttleWatch(teams, Date.now());
  const started = Date.now();
  const { ids } = await deps.sendLeads(urls, cards, cards, 'failover');
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
