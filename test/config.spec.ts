import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { parse } from 'dotenv';
import { createAdapter } from '../src/bot/adapter.js';
import { ConfigError, readConfig } from '../src/config/config.js';
import { silentLogger } from '../src/log.js';

const production = {
  MicrosoftAppId: '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f',
  MicrosoftAppPassword: 'client-secret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555555',
  LEADS_WEBHOOK_SECRET: 'a-long-enough-secret-123',
};

function configError(env: Record<string, string>): ConfigError {
  try {
    readConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('readConfig accepted the environment');
}

describe('readConfig', () => {
  describe('a bot signed in as a user-assigned managed identity (infra/azure.bicep)', () => {
    const msi = {
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppId: '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f',
      MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555555',
      LEADS_WEBHOOK_SECRET: 'a-long-enough-secret-123',
    };

    it('is read without a secret, and botbuilder builds its credentials from it', () => {
      const config = readConfig(msi);
      assert.deepEqual(config.bot, {
        appId: msi.MicrosoftAppId,
        appPassword: '',
        appType: 'UserAssignedMSI',
        tenantId: msi.MicrosoftAppTenantId,
      });
      const { adapter } = createAdapter(config.bot, { config, log: silentLogger, now: () => new Date() });
      assert.ok(adapter, 'botbuilder accepts UserAssignedMSI with an app id, a tenant and no password');
    });

    it('refuses a secret beside it, naming MicrosoftAppPassword, before botbuilder asserts', () => {
      const error = configError({ ...msi, MicrosoftAppPassword: 'left-over-secret' });
      assert.equal(error.variable, 'MicrosoftAppPassword');
      assert.match(error.message, /must be empty when MicrosoftAppType is UserAssignedMSI/);
      // What botbuilder itself would do with it: an assertion at the first turn.
      assert.throws(
        () =>
          new ConfigurationServiceClientCredentialFactory({
            MicrosoftAppId: msi.MicrosoftAppId,
            MicrosoftAppPassword: 'left-over-secret',
            MicrosoftAppType: 'UserAssignedMSI',
            MicrosoftAppTenantId: msi.MicrosoftAppTenantId,
          }),
        /MicrosoftAppPassword must not be set for MSI/,
      );
    });

    it('needs the tenant', () => {
      assert.equal(configError({ ...msi, MicrosoftAppTenantId: '' }).variable, 'MicrosoftAppTenantId');
    });
  });

  it('reads a production environment with defaults for the rest', () => {
    const config = readConfig({ ...production, MANAGERS: ' Alice@Contoso.com , 0a1b ' });
    assert.equal(config.port, 3978);
    assert.equal(config.localMode, false);
    assert.equal(config.bot.appType, 'SingleTenant');
    assert.deepEqual(config.webhookSecrets, ['a-long-enough-secret-123']);
    assert.deepEqual(config.managers, ['alice@contoso.com', '0a1b']);
    assert.equal(config.dataDir, './data');
    assert.equal(config.defaultLocale, 'en');
    assert.equal(config.timeZone, 'UTC');
    assert.equal(config.contactVisibility, 'team');
    assert.equal(config.retentionDays, undefined);
    assert.deepEqual(config.reminders, {
      contactMeMinutes: 60,
      otherMinutes: 240,
      nudgeAfterDays: 3,
      businessStart: 540,
      businessEnd: 1080,
      businessDays: [1, 2, 3, 4, 5],
    });
  });

  it('refuses to start without an app id unless local mode is explicit', () => {
    const error = configError({ LEADS_WEBHOOK_SECRET: 'a-long-enough-secret-123' });
    assert.equal(error.variable, 'MicrosoftAppId');
    assert.match(error.message, /ALLOW_UNAUTHENTICATED_BOT=true/);
  });

  it('allows local mode without an app id and without a webhook secret', () => {
    const config = readConfig({ ALLOW_UNAUTHENTICATED_BOT: 'true' });
    assert.equal(config.localMode, true);
    assert.deepEqual(config.webhookSecrets, []);
  });

  it('refuses local mode together with an app id', () => {
    assert.equal(
      configError({ ...production, ALLOW_UNAUTHENTICATED_BOT: 'true' }).variable,
      'ALLOW_UNAUTHENTICATED_BOT',
    );
  });

  it('names the variable and a valid value for each mistake', () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ MicrosoftAppId: 'not-a-guid' }, 'MicrosoftAppId', /GUID/],
      [{ MicrosoftAppType: 'Tenant' }, 'MicrosoftAppType', /SingleTenant/],
      [{ MicrosoftAppTenantId: '' }, 'MicrosoftAppTenantId', /required/],
      [{ MicrosoftAppPassword: '' }, 'MicrosoftAppPassword', /required/],
      [{ PORT: '80a' }, 'PORT', /0 to 65535/],
      [{ LEADS_WEBHOOK_SECRET: '' }, 'LEADS_WEBHOOK_SECRET', /openssl rand/],
      [{ LEADS_WEBHOOK_SECRET: 'short' }, 'LEADS_WEBHOOK_SECRET', /16 characters/],
      [
        { LEADS_WEBHOOK_SECRET: 'a-long-enough-secret-1,a-long-enough-secret-2,a-long-enough-secret-3' },
        'LEADS_WEBHOOK_SECRET',
        /two/,
      ],
      [{ DEFAULT_LOCALE: 'fr' }, 'DEFAULT_LOCALE', /pt-PT/],
      [{ TIME_ZONE: 'Mars/Olympus' }, 'TIME_ZONE', /Europe\/Lisbon/],
      [{ ALLOW_UNAUTHENTICATED_BOT: 'yes' }, 'ALLOW_UNAUTHENTICATED_BOT', /true or false/],
      [{ CONTACT_VISIBILITY: 'nobody' }, 'CONTACT_VISIBILITY', /team or owner/],
      [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS', /whole number of days/],
      [{ SLA_CONTACT_ME_MINUTES: 'soon' }, 'SLA_CONTACT_ME_MINUTES', /whole number/],
      [{ BUSINESS_HOURS: '18:00-09:00' }, 'BUSINESS_HOURS', /09:00-18:00/],
      [{ BUSINESS_DAYS: 'mon,funday' }, 'BUSINESS_DAYS', /mon,tue/],
      [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', /info, warn or error/],
    ];
    for (const [override, variable, hint] of cases) {
      const error = configError({ ...production, ...override });
      assert.equal(error.variable, variable, JSON.stringify(override));
      assert.match(error.message, hint);
    }
  });

  it('accepts two secrets during a rotation and pt locales', () => {
    const config = readConfig({
      ...production,
      LEADS_WEBHOOK_SECRET: 'new-secret-0123456789, old-secret-0123456789',
      DEFAULT_LOCALE: 'pt',
      TIME_ZONE: 'Europe/Lisbon',
    });
    assert.deepEqual(config.webhookSecrets, ['new-secret-0123456789', 'old-secret-0123456789']);
    assert.equal(config.defaultLocale, 'pt-PT');
    assert.equal(config.timeZone, 'Europe/Lisbon');
  });

  describe('the store, the lease and the MarketplaceLeads table', () => {
    it('keeps the embedded store, a 30 s lease and no table poller by default', () => {
      const config = readConfig(production);
      assert.deepEqual(config.store, { kind: 'lowdb' });
      assert.equal(config.leaseTtlMs, 30_000);
      assert.equal(config.marketplaceTable, undefined);
    });

    it('reads an Azure Table store by connection string or by account URL', () => {
      assert.deepEqual(
        readConfig({
          ...production,
          STORE: 'azure-table',
          AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
        }).store,
        { kind: 'azure-table', prefix: 'leadassistant', connectionString: 'UseDevelopmentStorage=true' },
      );
      assert.deepEqual(
        readConfig({
          ...production,
          STORE: 'Azure-Table',
          AZURE_STORAGE_ACCOUNT_URL: 'https://contoso.table.core.windows.net/',
          AZURE_TABLE_PREFIX: 'staging2',
        }).store,
        { kind: 'azure-table', prefix: 'staging2', accountUrl: 'https://contoso.table.core.windows.net' },
      );
    });

    it('reads the MarketplaceLeads source with its defaults, and a shorter lease for tests', () => {
      const config = readConfig({
        ...production,
        MARKETPLACE_TABLE_CONNECTION_STRING:
          'DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=a2V5;EndpointSuffix=core.windows.net',
        LEASE_TTL_SECONDS: '3',
      });
      assert.deepEqual(config.marketplaceTable, {
        connectionString:
          'DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=a2V5;EndpointSuffix=core.windows.net',
        tableName: 'MarketplaceLeads',
        pollSeconds: 60,
      });
      assert.equal(config.leaseTtlMs, 3000);
    });

    it('starts from .env.example as it is (copied to .env for a local run)', () => {
      const example = parse(readFileSync(new URL('../.env.example', import.meta.url)));
      const config = readConfig({ ...example, ALLOW_UNAUTHENTICATED_BOT: 'true' });
      assert.deepEqual(config.store, { kind: 'lowdb' });
      assert.equal(config.marketplaceTable, undefined);
    });

    it('refuses an Azure Table store with no account, naming both variables', () => {
      const error = configError({ ...production, STORE: 'azure-table' });
      assert.equal(error.variable, 'STORE');
      assert.match(error.message, /AZURE_STORAGE_CONNECTION_STRING/);
      assert.match(error.message, /AZURE_STORAGE_ACCOUNT_URL/);
    });

    it('names the variable and a valid value for each mistake', () => {
      const azure = { STORE: 'azure-table', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };
      const cases: Array<[Record<string, string>, string, RegExp]> = [
        [{ STORE: 'cosmos' }, 'STORE', /lowdb or azure-table/],
        [{ ...azure, AZURE_TABLE_PREFIX: 'lead-assistant' }, 'AZURE_TABLE_PREFIX', /letters and digits/],
        [{ ...azure, AZURE_TABLE_PREFIX: '9leads' }, 'AZURE_TABLE_PREFIX', /starting with a letter/],
        [
          { ...azure, AZURE_STORAGE_ACCOUNT_URL: 'https://contoso.table.core.windows.net' },
          'AZURE_STORAGE_ACCOUNT_URL',
          /set one of the two/,
        ],
        [
          { STORE: 'azure-table', AZURE_STORAGE_CONNECTION_STRING: 'contoso' },
          'AZURE_STORAGE_CONNECTION_STRING',
          /AccountName=/,
        ],
        [
          { STORE: 'azure-table', AZURE_STORAGE_ACCOUNT_URL: 'contoso' },
          'AZURE_STORAGE_ACCOUNT_URL',
          /https:\/\//,
        ],
        [
          { MARKETPLACE_TABLE_NAME: 'Leads' },
          'MARKETPLACE_TABLE_NAME',
          /MARKETPLACE_TABLE_CONNECTION_STRING/,
        ],
        [
          {
            MARKETPLACE_TABLE_ACCOUNT_URL: 'https://contoso.table.core.windows.net',
            MARKETPLACE_TABLE_NAME: 'Market-Leads',
          },
          'MARKETPLACE_TABLE_NAME',
          /3-63 letters and digits/,
        ],
        [
          {
            MARKETPLACE_TABLE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
            MARKETPLACE_TABLE_POLL_SECONDS: '0.5',
          },
          'MARKETPLACE_TABLE_POLL_SECONDS',
          /whole number of seconds from 1/,
        ],
        [{ LEASE_TTL_SECONDS: '1' }, 'LEASE_TTL_SECONDS', /from 3 to 300/],
        [{ LEASE_TTL_SECONDS: 'soon' }, 'LEASE_TTL_SECONDS', /from 3 to 300/],
      ];
      for (const [override, variable, hint] of cases) {
        const error = configError({ ...production, ...override });
        assert.equal(error.variable, variable, JSON.stringify(override));
        assert.match(error.message, hint);
      }
    });
  });
});

describe('readConfig: the tab’s sign-in settings', () => {
  const tab = {
    TAB_APP_ID: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
    TAB_TENANT_ID: '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a',
    TAB_JWKS_URL: 'http://127.0.0.1:4000/keys',
  };

  it('checks Entra tokens in production, for the bot’s app and tenant unless told otherwise', () => {
    assert.deepEqual(readConfig({ ...production, BOT_DOMAIN: 'Leads.Contoso.com' }).tab, {
      mode: 'entra',
      appId: production.MicrosoftAppId,
      tenantId: production.MicrosoftAppTenantId,
      jwksUrl: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
      audiences: [production.MicrosoftAppId, `api://leads.contoso.com/${production.MicrosoftAppId}`],
    });
    const own = readConfig({ ...production, TAB_APP_ID: tab.TAB_APP_ID.toUpperCase() }).tab;
    assert.equal(own.mode === 'entra' && own.appId, tab.TAB_APP_ID);
  });

  it('uses the local key only in local mode without TAB_* settings, and production checks with all three', () => {
    assert.deepEqual(readConfig({ ALLOW_UNAUTHENTICATED_BOT: 'true' }).tab, { mode: 'dev' });
    const strict = readConfig({ ALLOW_UNAUTHENTICATED_BOT: 'true', ...tab }).tab;
    assert.equal(strict.mode, 'entra');
    const partial = configError({ ALLOW_UNAUTHENTICATED_BOT: 'true', TAB_JWKS_URL: tab.TAB_JWKS_URL });
    assert.equal(partial.variable, 'TAB_APP_ID');
    assert.match(partial.message, /set all three/);
  });

  it('turns the tab off, saying why, when no tenant is known (a MultiTenant bot)', () => {
    const multi = { ...production, MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' };
    const off = readConfig(multi).tab;
    assert.equal(off.mode, 'off');
    assert.match(off.mode === 'off' ? off.reason : '', /TAB_TENANT_ID/);
    assert.equal(readConfig({ ...multi, TAB_TENANT_ID: tab.TAB_TENANT_ID }).tab.mode, 'entra');
  });

  it('names the setting that is malformed', () => {
    for (const [name, value, message] of [
      ['TAB_APP_ID', 'lead-tab', /GUID/],
      ['TAB_TENANT_ID', 'contoso.onmicrosoft.com', /GUID/],
      ['TAB_JWKS_URL', 'http://keys.example.com/keys', /https URL/],
      ['TAB_JWKS_URL', 'not a url', /https URL/],
      ['BOT_DOMAIN', 'https://leads.contoso.com/', /host name/],
    ] as const) {
      const error = configError({ ...production, [name]: value });
      assert.equal(error.variable, name);
      assert.match(error.message, message);
    }
  });
});
