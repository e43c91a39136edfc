import 'dotenv/config';
import { createApp } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { createConsoleLogger, describeError } from './log.js';

const log = createConsoleLogger();

try {
  const config = readConfig(process.env);
  if (config.localMode) {
    log.warn(
      'LOCAL MODE: MicrosoftAppId is empty and ALLOW_UNAUTHENTICATED_BOT=true, so /api/messages accepts ' +
        'activities from anyone. Use this only on your own machine (Agents Playground), never in production.',
    );
    if (config.webhookSecrets.length === 0)
      log.warn('LOCAL MODE: LEADS_WEBHOOK_SECRET is empty, so /api/leads is open.');
  }
  const app = await createApp(config, { log });
  const url = await app.listen(config.port);
  log.info(`Lead Assistant listening on ${url}`, { dataDir: config.dataDir });

  const shutdown = (signal: string) => {
    log.info(`${signal}: finishing requests and writes, then stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
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
