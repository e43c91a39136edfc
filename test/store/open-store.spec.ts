import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { readConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/open-store.js';

const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('opening the store STORE names', () => {
  it('refuses to start on an Azure account it cannot reach, naming the setting to check', async function () {
    this.timeout(30_000);
    const port = await closedPort();
    const config = readConfig({
      ALLOW_UNAUTHENTICATED_BOT: 'true',
      STORE: 'azure-table',
      AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
    });
    await assert.rejects(openStore(config, silentLogger), (error: Error) => {
      assert.match(error.message, /Could not open the Azure Table store/);
      assert.match(error.message, /ECONNREFUSED/);
      assert.match(error.message, /Check AZURE_STORAGE_CONNECTION_STRING/);
      assert.match(error.message, /Nothing was changed/);
      return true;
    });
  });
});
