// The one way a TableClient is made, for the store, the MarketplaceLeads source and the bench: a
// connection string (Azurite speaks plain HTTP) or an account URL with an Entra identity.
import type { TokenCredential } from '@azure/core-auth';
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';

export type TableAccount =
  | { connectionString: string }
  | { accountUrl: string; credential?: TokenCredential };

/** Azurite (UseDevelopmentStorage, or an http:// endpoint) speaks plain HTTP; Azure never does. */
export function isPlainHttp(connectionString: string): boolean {
  return /UseDevelopmentStorage=true|DefaultEndpointsProtocol=http(;|$)|Endpoint=http:\/\//i.test(
    connectionString,
  );
}

/** The client of `table` in `account`; an account URL without a credential signs in as the app's managed identity (DefaultAzureCredential). */
export async function createTableClient(
  account: TableAccount,
  table: string,
  options: TableServiceClientOptions = {},
): Promise<TableClient> {
  if ('connectionString' in account)
    return TableClient.fromConnectionString(account.connectionString, table, {
      allowInsecureConnection: isPlainHttp(account.connectionString),
      ...options,
    });
  const credential = account.credential ?? (await defaultCredential());
  return new TableClient(account.accountUrl, table, credential, {
    allowInsecureConnection: account.accountUrl.startsWith('http://'),
    ...options,
  });
}

/** Loaded when first used: the embedded store's start-up pays nothing for @azure/identity. */
export async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}
