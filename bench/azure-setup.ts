// The setting-up half of `npm run bench -- azure` (bench/azure.ts): instances on Azurite and on
// the embedded store, a month of leads, Azurite's own pace for context, and the card clicks and
// messages a person sends, timed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { odata } from '@azure/data-tables';
import type { Lead } from '../src/leads/lead.js';
import { createTableClient } from '../src/store/azure/table-client.js';
import { AzureTableStore } from '../src/store/azure-table-store.js';
import { cardActionActivity, channelMessage } from '../test/fakes/activities.js';
import type { Azurite } from '../test/fakes/azurite.js';
import type { AzureBenchDeps, BenchServer } from './azure.js';
import { seedThread, writeMonthFiles } from './seed.js';
import { type Counts, since, startCountingProxy } from './table-counter.js';

export function azureEnv(connectionString: string, prefix: string): Record<string, string> {
  // LEASE_TTL_SECONDS left to its default (30 s): the bench measures production's settings.
  return {
    STORE: 'azure-table',
    AZURE_STORAGE_CONNECTION_STRING: connectionString,
    AZURE_TABLE_PREFIX: prefix,
  };
}

/** Two instances on one store, started one after the other (as a deploy would), stopped after. */
export async function withPair<T>(
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
export async function withEmbedded<T>(
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
export async function rawInsertRate(azurite: Azurite, count: number, width: number) {
  const client = await createTableClient(azurite, 'benchrawinserts', azurite.clientOptions);
  await client.createTable();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
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
  return { rate: count / seconds, p50: at(0.5), p99: at(0.99) };
}

/** The seeded leads spread evenly over the last 29.5 days, so "summary month" (30 days) covers all. */
export function lastThirtyDays(leads: Lead[], now = Date.now()): Lead[] {
  const span = 29.5 * 86_400_000;
  return leads.map((lead, i) => ({
    ...lead,
    receivedAt: new Date(now - 60_000 - Math.floor((span * i) / leads.length)).toISOString(),
  }));
}

export async function inParallel<T>(
  items: T[],
  width: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
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
export async function claimEach(
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
export async function summaryEach(
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

/** Azurite's own time to hand over the month partitions the summary reads (no app, no parsing of leads). */
export async function rawMonthRead(azurite: Azurite, prefix: string, leads: Lead[]) {
  const client = await createTableClient(azurite, `${prefix}leads`, azurite.clientOptions);
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
export async function recountCost(azurite: Azurite, prefix: string): Promise<Counts> {
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
