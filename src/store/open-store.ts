import type { Config } from '../config.js';
import type { LeadStore } from '../leads/store.js';
import type { Logger } from '../log.js';

/**
 * The backend STORE names. The Azure SDK is loaded only when it is used, so the embedded store's
 * start-up (and memory) pays nothing for it.
 */
export async function openStore(config: Pick<Config, 'store' | 'dataDir'>, log: Logger): Promise<LeadStore> {
  const settings = config.store;
  if (settings.kind === 'lowdb') {
    const { LowdbStore } = await import('./lowdb-store.js');
    return LowdbStore.open(config.dataDir, { log });
  }
  const { AzureTableStore } = await import('./azure-table-store.js');
  if ('connectionString' in settings)
    return AzureTableStore.open({
      connectionString: settings.connectionString,
      prefix: settings.prefix,
      log,
      clientOptions: { allowInsecureConnection: isPlainHttp(settings.connectionString) },
    });
  const { DefaultAzureCredential } = await import('@azure/identity');
  return AzureTableStore.open({
    accountUrl: settings.accountUrl,
    credential: new DefaultAzureCredential(),
    prefix: settings.prefix,
    log,
  });
}

/** Azurite (UseDevelopmentStorage, or an http:// endpoint) speaks plain HTTP; Azure never does. */
export function isPlainHttp(connectionString: string): boolean {
  return /UseDevelopmentStorage=true|DefaultEndpointsProtocol=http(;|$)|Endpoint=http:\/\//i.test(
    connectionString,
  );
}
