// Child process of the bench: opens the store in DATA_DIR, builds the app, listens, reports.
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';

const started = performance.now();
const app = await createApp(
  readConfig({ ALLOW_UNAUTHENTICATED_BOT: 'true', DATA_DIR: process.argv[2] ?? '', PORT: '0' }),
  { log: silentLogger },
);
await app.listen(0, '127.0.0.1');
const readyMs = performance.now() - started;
global.gc?.();
const leads = (await app.store.stats()).leads;
process.stdout.write(`${JSON.stringify({ readyMs, rssMB: process.memoryUsage().rss / 2 ** 20, leads })}\n`);
await app.close();
process.exit(0);
