// `npm run migrate -- --to azure-table`: copies the embedded store in DATA_DIR into the Azure Table
// store the environment names (AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL,
// AZURE_TABLE_PREFIX). Stop the server first: the embedded store's lock refuses a second opener.
// Safe to run again: an interrupted run is resumed, and a finished one copies nothing more.
import 'dotenv/config';
import { parseArgs } from 'node:util';
import { ConfigError, readConfig } from '../src/config/config.js';
import { createConsoleLogger, describeError } from '../src/log.js';
import type { AzureTableStore } from '../src/store/azure-table-store.js';
import { LowdbStore } from '../src/store/lowdb-store.js';
import { migrateStore } from '../src/store/migrate.js';
import { openStore } from '../src/store/open-store.js';

const { values } = parseArgs({ options: { to: { type: 'string' } } });
const log = createConsoleLogger({ level: 'warn' });

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} leads`;
}

try {
  if (values.to !== 'azure-table')
    throw new ConfigError(
      '--to',
      'say where to copy: npm run migrate -- --to azure-table (the only target there is).',
    );
  const config = readConfig({ ...process.env, STORE: 'azure-table' });
  const source = await LowdbStore.open(config.dataDir, { log });
  const target = await openStore(config, log);
  let shownTenth = -1;
  try {
    const report = await migrateStore(source, target, {
      onProgress(done, total) {
        if (process.stderr.isTTY) process.stderr.write(`\r${progressBar(done, total)}`);
        else if (Math.floor((done / total) * 10) > shownTenth) {
          shownTenth = Math.floor((done / total) * 10); // a line per tenth in a log
          process.stderr.write(`${progressBar(done, total)}\n`);
        }
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    // An interrupted run (a kill -9) may have stored leads it never counted: count them now.
    const counted = await (target as Partial<AzureTableStore>).recount?.();
    if (counted !== undefined) report.targetLeads = counted;
    console.log(
      `Copied ${report.copied} leads (${report.alreadyThere} were there already, ${report.updated} brought up to date), ` +
        `${report.installations} teams and ${report.digests} digests from ${config.dataDir}.`,
    );
    console.log(
      `The Azure store now holds ${report.targetLeads} leads; the embedded store holds ${report.leads}.`,
    );
    if (report.targetLeads < report.leads) {
      console.error('Fewer leads in Azure than in the embedded store: run the migration again.');
      process.exitCode = 1;
    }
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
  }
} catch (error) {
  log.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : describeError(error));
  console.error(
    'Nothing was lost: the embedded store is only read. Fix the cause and run the migration again.',
  );
  process.exitCode = 1;
}
