// Child process of the bench: the app alone in its process, compiled first (tsconfig.bench.json)
// as `npm start` runs it, so the load generator does not share its event loop.
// `node bench/.build/bench/serve.js <DATA_DIR> [--naive <file>]` prints one JSON line once
// listening ({ url, leads, rssMB, heapMB }); on SIGTERM one more ({ rssMB, heapMB }), then closes.
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
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
  }),
  { log: silentLogger, ...(store ? { store } : {}) },
);
const url = await app.listen(0, '127.0.0.1');
global.gc?.();
const { leads } = await app.store.stats();
const { rss, heapUsed } = process.memoryUsage();
process.stdout.write(`${JSON.stringify({ url, leads, rssMB: rss / 2 ** 20, heapMB: heapUsed / 2 ** 20 })}\n`);

process.once('SIGTERM', async () => {
  // Memory after the scenario's load, collected as at ready, before anything is released.
  global.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ rssMB: rss / 2 ** 20, heapMB: heapUsed / 2 ** 20 })}\n`);
  await app.close();
  process.exit(0);
});
