// Where leads are kept (STORE, the Azure account), the MarketplaceLeads source and the lease: read
// by readConfig, nowhere else.

import { tablePrefixProblem } from '../store/azure/keys.js';
import type { TableAccount } from '../store/azure/table-client.js';
import { ConfigError } from './error.js';

export type { TableAccount };

/** `lowdb`: files in DATA_DIR, one process. `azure-table`: Azure Table Storage, any number of instances. */
export type StoreSettings = { kind: 'lowdb' } | ({ kind: 'azure-table'; prefix: string } & TableAccount);

export type MarketplaceTableSettings = TableAccount & { tableName: string; pollSeconds: number };

export function readStore(value: (name: string) => string): StoreSettings {
  const kind = (value('STORE') || 'lowdb').toLowerCase();
  if (kind === 'lowdb') return { kind };
  if (kind !== 'azure-table')
    throw new ConfigError('STORE', `must be lowdb or azure-table, got "${value('STORE')}".`);
  const account = readTableAccount(value, 'AZURE_STORAGE_CONNECTION_STRING', 'AZURE_STORAGE_ACCOUNT_URL');
  if (!account) {
    throw new ConfigError(
      'STORE',
      'is azure-table, so set AZURE_STORAGE_CONNECTION_STRING (UseDevelopmentStorage=true for Azurite) ' +
        'or AZURE_STORAGE_ACCOUNT_URL (https://<account>.table.core.windows.net, with a managed identity).',
    );
  }
  const prefix = value('AZURE_TABLE_PREFIX') || 'leadassistant';
  // Table names are 3-63 alphanumerics starting with a letter; the backend appends a suffix to this.
  const problem = tablePrefixProblem(prefix);
  if (problem) throw new ConfigError('AZURE_TABLE_PREFIX', problem);
  return { kind: 'azure-table', prefix, ...account };
}

export function readMarketplaceTable(value: (name: string) => string): MarketplaceTableSettings | undefined {
  const account = readTableAccount(
    value,
    'MARKETPLACE_TABLE_CONNECTION_STRING',
    'MARKETPLACE_TABLE_ACCOUNT_URL',
  );
  if (!account) {
    for (const name of ['MARKETPLACE_TABLE_NAME', 'MARKETPLACE_TABLE_POLL_SECONDS'])
      if (value(name))
        throw new ConfigError(
          name,
          'is set, but neither MARKETPLACE_TABLE_CONNECTION_STRING nor MARKETPLACE_TABLE_ACCOUNT_URL is, so there is no table to read.',
        );
    return undefined;
  }
  const tableName = value('MARKETPLACE_TABLE_NAME') || 'MarketplaceLeads';
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(tableName)) {
    throw new ConfigError(
      'MARKETPLACE_TABLE_NAME',
      `must be an Azure table name (3-63 letters and digits, starting with a letter), got "${tableName}".`,
    );
  }
  const rawPoll = value('MARKETPLACE_TABLE_POLL_SECONDS');
  const pollSeconds = rawPoll === '' ? 60 : Number(rawPoll);
  if (!Number.isInteger(pollSeconds) || pollSeconds < 1 || pollSeconds > 86_400) {
    throw new ConfigError(
      'MARKETPLACE_TABLE_POLL_SECONDS',
      `must be a whole number of seconds from 1 to 86400, got "${rawPoll}".`,
    );
  }
  return { ...account, tableName, pollSeconds };
}

/** A connection string or an account URL, not both; undefined when neither is set. */
function readTableAccount(
  value: (name: string) => string,
  connectionName: string,
  urlName: string,
): TableAccount | undefined {
  const connectionString = value(connectionName);
  const accountUrl = value(urlName);
  if (connectionString && accountUrl)
    throw new ConfigError(urlName, `and ${connectionName} are both set; set one of the two.`);
  if (connectionString) {
    if (
      connectionString !== 'UseDevelopmentStorage=true' &&
      !/(^|;)\s*(AccountName|TableEndpoint)=/i.test(connectionString)
    )
      throw new ConfigError(
        connectionName,
        'must be an Azure Storage connection string (DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…) or UseDevelopmentStorage=true.',
      );
    return { connectionString };
  }
  if (accountUrl) {
    let url: URL | undefined;
    try {
      url = new URL(accountUrl);
    } catch {}
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      throw new ConfigError(
        urlName,
        `must be a URL like https://<account>.table.core.windows.net, got "${accountUrl}".`,
      );
    return { accountUrl: accountUrl.replace(/\/+$/, '') };
  }
  return undefined;
}

export function readLeaseTtl(raw: string): number {
  if (raw === '') return 30;
  const seconds = Number(raw);
  // Renewed every third of it: below 3 s a slow store call could cost the lease while it is held.
  if (!Number.isInteger(seconds) || seconds < 3 || seconds > 300)
    throw new ConfigError(
      'LEASE_TTL_SECONDS',
      `must be a whole number of seconds from 3 to 300, got "${raw}".`,
    );
  return seconds;
}
