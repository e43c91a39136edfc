// Run by lazy-modules.spec.ts in a process of its own: builds the app on an embedded store as
// `npm start` does, and prints which of the packages only some paths need were loaded by then.
import { mkdtempSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Resolve = (specifier: string, context: unknown) => { url: string };
// Node 24's synchronous hooks (not in @types/node 20 yet).
const { registerHooks } = nodeModule as unknown as {
  registerHooks(hooks: {
    resolve(specifier: string, context: unknown, next: Resolve): { url: string };
  }): void;
};
const resolved = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const answer = nextResolve(specifier, context);
    resolved.add(answer.url);
    return answer;
  },
});
// Loaded after the hook, so every import of the app is seen.
const { createApp } = await import('../../src/app.js');
const { readConfig } = await import('../../src/config/config.js');
const { silentLogger } = await import('../../src/log.js');

const config = readConfig({
  ALLOW_UNAUTHENTICATED_BOT: 'true',
  LEADS_WEBHOOK_SECRET: 'probe-secret-0123456789',
  DATA_DIR: mkdtempSync(join(tmpdir(), 'start-probe-')),
});
const app = await createApp(config, { log: silentLogger });
// CommonJS packages imported from ESM show up in require's cache too.
const seen = [...resolved, ...Object.keys(nodeModule.createRequire(import.meta.url).cache)];
const loaded = (pkg: string) => seen.some((url) => url.includes(`/node_modules/${pkg}/`));
const packages = [
  'botbuilder',
  'botframework-connector',
  '@azure/data-tables',
  '@azure/identity',
  'free-email-domains-list',
];
process.stdout.write(`${JSON.stringify(Object.fromEntries(packages.map((p) => [p, loaded(p)])))}\n`);
await app.close();
