// Child process of the bench: the app alone in its process, as in production, so the load
// generator does not share its event loop. `serve.ts <DATA_DIR> [--naive <file>]`.
// Prints one JSON line once listening ({ url, leads, rssMB }); closes cleanly on SIGTERM.
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
process.stdout.write(`${JSON.stringify({ url, leads, rssMB: process.memoryUsage().rss / 2 ** 20 })}\n`);

process.once('SIGTERM', async () => {
  await app.close();
  process.exit(0);
});
