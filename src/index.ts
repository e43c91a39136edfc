import 'dotenv/config';
import { createApp } from './app.js';
import { ConfigError, readConfig } from './config/config.js';
import { describeListening, isLoopback } from './http/listen-address.js';
import { TAB_DIR, tabBuildStatus } from './http/tab-static.js';
import { createConsoleLogger, describeError } from './log.js';

let log = createConsoleLogger();

try {
  const config = readConfig(process.env);
  log = createConsoleLogger({ level: config.logLevel });
  if (config.localMode) {
    log.warn(
      'LOCAL MODE: MicrosoftAppId is empty and ALLOW_UNAUTHENTICATED_BOT=true, so /api/messages accepts ' +
        'activities from anyone. Use this only on your own machine (Agents Playground), never in production.',
    );
    if (config.webhookSecrets.length === 0)
      log.warn('LOCAL MODE: LEADS_WEBHOOK_SECRET is empty, so /api/leads is open.');
  }
  const app = await createApp(config, { log });
  const url = await app.listen(config.port, config.host);
  log.info(`Lead Assistant listening on ${describeListening(config.host, url)}`, {
    ...(config.store.kind === 'lowdb'
      ? { dataDir: config.dataDir }
      : { store: 'azure-table', tablePrefix: config.store.prefix }),
    holder: app.leader.holder,
    leader: app.leader.isLeader,
  });
  if (config.localMode && !isLoopback(config.host))
    log.warn(
      `LOCAL MODE: HOST=${config.host} listens beyond this machine, but the open routes answer only requests ` +
        `addressed to localhost, 127.0.0.1, [::1] or ${config.host} (others get 421): set HOST to the name they use.`,
    );
  if (config.tab.mode === 'dev')
    log.info(
      `Leads tab (local tab host): ${url}/tab/local-host.html; its tokens are signed by a key made at start and ` +
        'trusted in local mode only (/api/dev/token).',
    );
  if (config.tab.mode === 'off') log.warn(`The Leads tab is off: ${config.tab.reason}`);
  else if (tabBuildStatus() !== 'ok')
    log.warn(
      `The Leads tab is not built (${TAB_DIR} has no index.html): /tab/ answers 503 until \`npm run build\` ` +
        'is run on this server (npm start builds it when the build tools are installed).',
    );

  const shutdown = (signal: string) => {
    // Last resort only: a stop waits for every request already received to be answered.
    const force = setTimeout(() => {
      log.error('stop took over 10 s; exiting anyway');
      process.exit(1);
    }, 10_000);
    force.unref();
    const closing = app.close(); // stops accepting connections before it returns
    log.info(`${signal}: no longer accepting connections; answering those received, then stopping`);
    closing.then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error) => {
        log.error('shutdown failed', { error: describeError(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  log.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : describeError(error));
  process.exit(1);
}
