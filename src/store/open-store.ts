import type { Config } from '../config/config.js';
import { StorageUnavailableError } from '../errors.js';
import type { LeadStore } from '../leads/store.js';
import type { Logger } from '../log.js';

/**
 * The backend STORE names. The Azure SDK is loaded only when it is used, so the embedded store's
 * start-up (and memory) pays nothing for it.
 */
export async function openStore(
  config: Pick<Config, 'store' | 'dataDir'> & Partial<Pick<Config, 'timeZone'>>,
  log: Logger,
): Promise<LeadStore> {
  const settings = config.store;
  if (settings.kind === 'lowdb') {
    const { LowdbStore } = await import('./lowdb-store.js');
    return LowdbStore.open(config.dataDir, {
      log,
      ...(config.timeZone ? { timeZone: config.timeZone } : {}),
    });
  }
  const [{ AzureTableStore }, { defaultCredential }] = await Promise.all([
    import('./azure-table-store.js'),
    import('./azure/table-client.js'),
  ]);
  const zone = config.timeZone ? { timeZone: config.timeZone } : {};
  try {
    if ('connectionString' in settings)
      return await AzureTableStore.open({
        connectionString: settings.connectionString,
        prefix: settings.prefix,
        log,
        ...zone,
      });
    return await AzureTableStore.open({
      accountUrl: settings.accountUrl,
      credential: await defaultCredential(),
      prefix: settings.prefix,
      log,
      ...zone,
    });
  } catch (error) {
    throw new StorageUnavailableError(whyAzureRefused(settings, error));
  }
}

/** What an operator checks when the Azure store cannot be opened at start (nothing was changed). */
function whyAzureRefused(
  settings: { connectionString: string } | { accountUrl: string },
  error: unknown,
): string {
  const cause = error instanceof Error ? error.message : String(error);
  const status = (error as { statusCode?: number }).statusCode;
  const where =
    'accountUrl' in settings
      ? `AZURE_STORAGE_ACCOUNT_URL (${settings.accountUrl})`
      : 'AZURE_STORAGE_CONNECTION_STRING';
  const hint =
    status === 403 || /AuthorizationPermissionMismatch|AuthorizationFailure/i.test(cause)
      ? 'The identity may not use its tables: give it the "Storage Table Data Contributor" role on the account (docs/deploy-azure.md).'
      : /credential|ManagedIdentity|AzureCli|token/i.test(cause)
        ? "No Entra identity could sign in: in Azure, turn on the app's managed identity; on a workstation, run az login."
        : `Check ${where}, and that the account is reachable from here.`;
  return `Could not open the Azure Table store: ${cause} ${hint} Nothing was changed.`;
}
