import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.js';
import { ConfigError, readConfig } from '../../src/config/config.js';
import { describeListening } from '../../src/http/listen-address.js';
import { silentLogger } from '../../src/log.js';

const production = {
  MicrosoftAppId: '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f',
  MicrosoftAppPassword: 'client-secret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555555',
  LEADS_WEBHOOK_SECRET: 'a-long-enough-secret-123',
};
const local = { ALLOW_UNAUTHENTICATED_BOT: 'true' };

describe('HOST', () => {
  it('defaults to loopback in local mode, where /api/messages takes unsigned activities', () => {
    assert.equal(readConfig(local).host, '127.0.0.1');
  });

  it('defaults to every IPv4 interface otherwise', () => {
    assert.equal(readConfig(production).host, '0.0.0.0');
  });

  it('takes an IPv4 or IPv6 address, bracketed or not, and localhost', () => {
    assert.equal(readConfig({ ...production, HOST: ' 10.0.0.4 ' }).host, '10.0.0.4');
    assert.equal(readConfig({ ...production, HOST: '::' }).host, '::');
    assert.equal(readConfig({ ...local, HOST: '[::1]' }).host, '::1');
    assert.equal(readConfig({ ...local, HOST: 'localhost' }).host, '127.0.0.1');
    assert.equal(readConfig({ ...local, HOST: '0.0.0.0' }).host, '0.0.0.0');
  });

  for (const bad of ['example.com', '256.1.1.1', '127.0.0.1:3978', 'http://0.0.0.0', '*']) {
    it(`refuses HOST=${bad}, naming the variable and what would do`, () => {
      assert.throws(
        () => readConfig({ ...production, HOST: bad }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variable === 'HOST' &&
          error.message.includes('127.0.0.1') &&
          error.message.includes(bad),
      );
    });
  }

  it('is where the local-mode app listens, and the start-up line says so', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lead-assistant-host-'));
    const config = readConfig({ ...local, DATA_DIR: dataDir, PORT: '0' });
    const app = await createApp(config, { log: silentLogger });
    try {
      const url = await app.listen(config.port, config.host);
      const { address, port } = app.server.address() as AddressInfo;
      assert.equal(address, '127.0.0.1');
      assert.equal(url, `http://127.0.0.1:${port}`);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      assert.equal(
        describeListening(config.host, url),
        `127.0.0.1 port ${port} (this machine only), http://127.0.0.1:${port}`,
      );
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('describes an every-interface address as reachable from other machines', () => {
    assert.equal(
      describeListening('0.0.0.0', 'http://127.0.0.1:3978'),
      '0.0.0.0 port 3978 (other machines can reach it), http://127.0.0.1:3978',
    );
  });
});
