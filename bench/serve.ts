// Child process of the bench: the app alone in its process, compiled first (tsconfig.bench.json)
// as `npm start` runs it, so the load generator does not share its event loop.
// `node bench/.build/bench/serve.js <DATA_DIR> [--naive <file>]` (STORE=azure-table and its settings
// from the environment) prints a JSON line once listening
// ({ url, leads }), one with its memory then ({ rssMB, heapMB }), and on SIGTERM one more with its
// memory after the load, then closes.
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config/config.js';
import { silentLogger } from '../src/log.js';
import { NaiveLowdbStore } from './naive-store.js';

const [dataDir = '', flag, naiveFile] = process.argv.slice(2);
const store = flag === '--naive' && naiveFile ? await NaiveLowdbStore.open(naiveFile) : undefined;
const app = await createApp(
  readConfig({
    ALLOW_UNAUTHENTICATED_BOT: 'true',
    DATA_DIR: dataDir,
    LEADS_WEBHOOK_SECRET: process.env.LEADS_WEBHOOK_SECRET ?? '',
    MANAGERS: 'aad-alex',
    EVENTS_URL: process.env.EVENTS_URL ?? '',
    EVENTS_SECRET: process.env.EVENTS_SECRET ?? '',
    // `npm run bench -- azure`: instances on one Azure Table store (Azurite), as in production.
    STORE: process.env.STORE ?? '',
    AZURE_STORAGE_CONNECTION_STRING: process.env.AZURE_STORAGE_CONNECTION_STRING ?? '',
    AZURE_TABLE_PREFIX: process.env.AZURE_TABLE_PREFIX ?? '',
    LEASE_TTL_SECONDS: process.env.LEASE_TTL_SECONDS ?? '',
  }),
  // The tab's files from the repo's dist/tab (this file runs from bench/.build/bench/).
  {
    log: silentLogger,
    tabDir: fileURLToPath(new URL('../../../dist/tab/', import.meta.url)),
    ...(store ? { store } : {}),
  },
);
const url = await app.listen(0, '127.0.0.1');
const { leads } = await app.store.stats();
// CPU to here (every thread: compiling, parsing, GC): on a shared machine, steadier than the clock.
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ url, leads, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
process.stdout.write(`${JSON.stringify(await settledMemory())}\n`);

process.once('SIGTERM', async () => {
  // Memory after the scenario's load, measured as at ready, before anything is released.
  process.stdout.write(`${JSON.stringify(await settledMemory())}\n`);
  await app.close();
  process.exit(0);
});

/**
 * Memory after a full GC, once RSS holds still: V8 hands freed pages back on a background thread
 * over the next ~100 ms, so a reading right after gc() can be 80 MB high.
 */
async function settledMemory(): Promise<{ rssMB: number; heapMB: number }> {
  global.gc?.();
  let previous = process.memoryUsage().rss;
  for (let i = 0; i < 30; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rss = process.memoryUsage().rss;
    if (Math.abs(rss - previous) < 2 ** 20) break;
    previous = rss;
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMB: rss / 2 ** 20, heapMB: heapUsed / 2 ** 20 };
}
