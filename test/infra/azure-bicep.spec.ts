// infra/ and the toolkit's yml, checked without the Bicep CLI, Azure or the toolkit (none run here).
// What is checked: the yml files parse and point at files that exist; every ${{VAR}} they and the
// parameters file use is defined somewhere the toolkit reads; parameters and params agree; every
// app setting is a variable readConfig reads (or one the platform or an SDK reads), and the
// settings, with sample values for their Bicep expressions, make a config botbuilder accepts;
// the tables are the store's; the role is Storage Table Data Contributor.
// What is not: Bicep syntax and types, API versions, what Azure does with it (see docs/deploy-azure.md).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { createAdapter } from '../../src/bot/adapter.js';
import { readConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/log.js';
import { tableNames } from '../../src/store/azure/keys.js';

const read = (path: string) => readFileSync(path, 'utf8');
const MAIN = read('infra/azure.bicep');
const BOT = read('infra/botRegistration/azurebot.bicep');
const PARAMETERS = JSON.parse(read('infra/azure.parameters.json'));

interface Param {
  name: string;
  type: string;
  hasDefault: boolean;
}

/** `param name type [= default]` lines (the files keep one declaration a line). */
function params(bicep: string): Param[] {
  return [...bicep.matchAll(/^param (\w+) (\w+)( =.*)?$/gm)].map((m) => ({
    name: m[1] ?? '',
    type: m[2] ?? '',
    hasDefault: m[3] !== undefined,
  }));
}

/** `name: 'X'` / `value: …` pairs inside `appSettings: [ … ]`. */
function appSettings(bicep: string): Array<{ name: string; value: string }> {
  const block = /appSettings: \[\n([\s\S]*?)\n {6}\]/.exec(bicep)?.[1] ?? '';
  return [...block.matchAll(/name: '(\w+)'.*\n\s*value: (.+)/g)].map((m) => ({
    name: m[1] ?? '',
    value: (m[2] ?? '').trim(),
  }));
}

const placeholders = (text: string) => [...text.matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '');

// Set by the toolkit itself (https://aka.ms/teamsfx-actions), not by any file here.
const TOOLKIT_BUILT_INS = [
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_RESOURCE_GROUP_NAME',
  'TEAMSFX_ENV',
  'TEAMS_APP_TENANT_ID',
];
// Read by the platform or an SDK, not by readConfig.
const PLATFORM_SETTINGS: Record<string, string> = {
  AZURE_CLIENT_ID: '@azure/identity: which user-assigned identity DefaultAzureCredential uses',
  WEBSITES_ENABLE_APP_SERVICE_STORAGE: 'App Service: /home mounted and kept',
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'App Service: no build on zip deploy',
};

describe('infra/ (Bicep, read without the Bicep CLI)', () => {
  it('gives every required param of azure.bicep a value in azure.parameters.json, and nothing it lacks', () => {
    const declared = params(MAIN);
    const given = Object.keys(PARAMETERS.parameters);
    for (const name of given)
      assert.ok(
        declared.some((p) => p.name === name),
        `${name} is in the parameters file but not a param`,
      );
    for (const p of declared.filter((p) => !p.hasDefault))
      assert.ok(given.includes(p.name), `${p.name} has no default and no value`);
    assert.equal(PARAMETERS.contentVersion, '1.0.0.0');
  });

  it('uses every param it declares, and the bot module gets exactly the params it needs', () => {
    for (const [file, text] of [
      ['azure.bicep', MAIN],
      ['azurebot.bicep', BOT],
    ] as const) {
      for (const { name } of params(text)) {
        const uses = text.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
        assert.ok(uses >= 2, `${file}: param ${name} is declared but never used`);
      }
    }
    const passed = [
      ...(/module azureBotRegistration[\s\S]*?params: \{\n([\s\S]*?)\n {2}\}/.exec(MAIN)?.[1] ?? '').matchAll(
        /^\s+(\w+):/gm,
      ),
    ].map((m) => m[1]);
    const botParams = params(BOT);
    for (const name of passed)
      assert.ok(
        botParams.some((p) => p.name === name),
        `azure.bicep passes ${name}, which azurebot.bicep lacks`,
      );
    for (const p of botParams.filter((p) => !p.hasDefault))
      assert.ok(passed.includes(p.name), `azurebot.bicep needs ${p.name}`);
  });

  it('registers the bot as the user-assigned identity, with its Teams channel, at /api/messages', () => {
    assert.match(BOT, /msaAppType: 'UserAssignedMSI'/);
    assert.match(BOT, /msaAppMSIResourceId: identityResourceId/);
    assert.match(BOT, /endpoint: 'https:\/\/\$\{botAppDomain\}\/api\/messages'/);
    assert.match(BOT, /channelName: 'MsTeamsChannel'/);
    assert.match(MAIN, /type: 'UserAssigned'/);
  });

  it('runs on Linux App Service, Node 24, one instance, health-checked, HTTPS only', () => {
    assert.match(MAIN, /kind: 'app,linux'/);
    assert.match(MAIN, /reserved: true/);
    assert.match(MAIN, /linuxFxVersion: 'NODE\|24-lts'/);
    assert.match(MAIN, /capacity: 1\n/);
    assert.match(MAIN, /healthCheckPath: '\/healthz'/);
    assert.match(MAIN, /httpsOnly: true/);
    assert.match(MAIN, /alwaysOn: true/);
    // The start command runs what the deploy step zips: dist/ from `npm run build`.
    const entry = /appCommandLine: '.*?(dist\/\S+\.js)'/.exec(MAIN)?.[1];
    assert.equal(entry, 'dist/index.js');
    assert.match(read('tsconfig.build.json'), /"outDir": "dist"/);
    assert.ok(existsSync('src/index.ts'));
  });

  it('names only app settings readConfig reads, or the platform does, and they make a config botbuilder accepts', () => {
    const settings = appSettings(MAIN);
    assert.ok(settings.length >= 10, 'the app settings block was found');
    // Bicep expressions replaced by what Azure would put there.
    const samples: Record<string, string> = {
      'identity.properties.clientId': '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f',
      'identity.properties.tenantId': '11111111-2222-3333-4444-555555555555',
      botDomain: 'leads-prod.azurewebsites.net',
      leadsWebhookSecret: 'a-long-enough-secret-123',
      store: 'azure-table',
      "useTables ? 'https://${storageAccountName}.table.${environment().suffixes.storage}' : ''":
        'https://leadsprodabc.table.core.windows.net',
      tablePrefix: 'leadassistant',
      managers: 'megan@contoso.com',
      defaultLocale: 'pt-PT',
      timeZone: 'Europe/Lisbon',
      eventsUrl: '',
      eventsSecret: '',
      tabAppId: '',
    };
    const env: Record<string, string> = {};
    for (const { name, value } of settings) {
      const literal = /^'([^']*)'(\s+\/\/\s.*)?$/.exec(value)?.[1];
      const sample = literal ?? samples[value.replace(/\s+\/\/\s.*$/, '')];
      assert.ok(sample !== undefined, `no sample for ${name} = ${value}`);
      env[name] = sample;
    }
    const readNames = new Set<string>();
    const watched = new Proxy(env, {
      get(target, key) {
        if (typeof key === 'string') readNames.add(key);
        return Reflect.get(target, key);
      },
    });
    const config = readConfig(watched);
    for (const { name } of settings)
      assert.ok(
        readNames.has(name) || name in PLATFORM_SETTINGS,
        `${name} is set on App Service but readConfig never reads it`,
      );
    assert.ok(!('MicrosoftAppPassword' in env), 'no secret for the bot');
    assert.equal(config.bot.appType, 'UserAssignedMSI');
    assert.equal(config.bot.appId, env.AZURE_CLIENT_ID, 'the store signs in as the bot’s identity');
    assert.deepEqual(config.store, {
      kind: 'azure-table',
      prefix: 'leadassistant',
      accountUrl: 'https://leadsprodabc.table.core.windows.net',
    });
    assert.match(config.dataDir, /^\/home\//, 'the embedded store lives where App Service keeps files');
    assert.equal(config.host, '0.0.0.0');
    assert.doesNotThrow(() =>
      createAdapter(config.bot, { config, log: silentLogger, now: () => new Date() }),
    );
    // The embedded store the same way: STORE=lowdb and no account.
    const lowdb = readConfig({ ...env, STORE: 'lowdb', AZURE_STORAGE_ACCOUNT_URL: '' });
    assert.deepEqual(lowdb.store, { kind: 'lowdb' });
  });

  it('makes the store’s tables and gives the identity Storage Table Data Contributor on the account', () => {
    const suffixes = /var tableSuffixes = \[\n([\s\S]*?)\n\]/.exec(MAIN)?.[1]?.match(/'(\w+)'/g) ?? [];
    const names = Object.values(tableNames('P')).map((n) => n.slice(1));
    assert.deepEqual(suffixes.map((s) => s.slice(1, -1)).sort(), names.sort());
    assert.match(MAIN, /name: '\$\{tablePrefix\}\$\{suffix\}'/);
    assert.match(MAIN, /tableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'/);
    assert.match(MAIN, /scope: storageAccount/);
    assert.match(MAIN, /principalId: identity\.properties\.principalId/);
    assert.match(MAIN, /principalType: 'ServicePrincipal'/);
    assert.match(MAIN, /allowSharedKeyAccess: false/);
  });
});

describe('m365agents.yml and m365agents.local.yml (atk provision / atk deploy)', () => {
  const prodEnv = {
    ...parseDotenv(read('env/.env.prod')),
    ...parseDotenv(read('env/.env.prod.user.example')),
  };
  const localEnv = parseDotenv(read('env/.env.local'));
  const outputs = [...MAIN.matchAll(/^output (\w+) /gm)].map((m) => m[1] ?? '');

  for (const [file, env] of [
    ['m365agents.yml', prodEnv],
    ['m365agents.local.yml', localEnv],
  ] as const) {
    it(`${file}: parses, and every \${{VAR}} it uses is defined`, () => {
      const text = read(file);
      const doc = parseYaml(text);
      assert.equal(doc.version, 'v1.11');
      const steps = [...doc.provision, ...doc.deploy, ...(doc.publish ?? [])];
      const written = steps.flatMap((s: { writeToEnvironmentFile?: Record<string, string> }) =>
        Object.values(s.writeToEnvironmentFile ?? {}),
      );
      const known = new Set([...Object.keys(env), ...TOOLKIT_BUILT_INS, ...written, ...outputs]);
      for (const name of placeholders(text)) assert.ok(known.has(name), `${file} uses \${{${name}}}`);
      for (const step of steps) assert.match(step.uses, /^[a-zA-Z]+(\/[a-zA-Z]+)?$/);
    });
  }

  it('deploys the Bicep with its parameters, then zips the built app onto the web app', () => {
    const doc = parseYaml(read('m365agents.yml'));
    const arm = doc.provision.find((s: { uses: string }) => s.uses === 'arm/deploy');
    const [template] = arm.with.templates;
    assert.ok(existsSync(template.path) && existsSync(template.parameters));
    for (const name of placeholders(read(template.parameters)))
      assert.ok(name in prodEnv, `azure.parameters.json uses \${{${name}}}, not in env/.env.prod(.user)`);
    const zip = doc.deploy.find((s: { uses: string }) => s.uses === 'azureAppService/zipDeploy');
    assert.equal(zip.with.resourceId, `\${{AZURE_APP_SERVICE_RESOURCE_ID}}`);
    assert.ok(outputs.includes('AZURE_APP_SERVICE_RESOURCE_ID'));
    const staged = doc.deploy.map(
      (s: { with?: { run?: string; args?: string } }) => s.with?.run ?? s.with?.args ?? '',
    );
    assert.ok(staged.some((s: string) => s === 'run build'));
    assert.ok(staged.some((s: string) => /cp -R dist .*build\/deploy/.test(s) && /--omit=dev/.test(s)));
    assert.equal(zip.with.artifactFolder, './build/deploy');
    // The package step hands the packager the identity and host the deployment wrote back.
    const pkg = doc.provision.find((s: { uses: string; with?: { run?: string } }) =>
      /npm run package/.test(s.with?.run ?? ''),
    );
    assert.match(pkg.with.run, /MicrosoftAppId=\$\{\{BOT_ID\}\}/);
    assert.match(pkg.with.run, /BOT_DOMAIN=\$\{\{BOT_DOMAIN\}\}/);
    assert.ok(outputs.includes('BOT_ID') && outputs.includes('BOT_DOMAIN'));
    const update = doc.provision.find((s: { uses: string }) => s.uses === 'teamsApp/update');
    assert.equal(update.with.appPackagePath, './build/lead-assistant.zip');
  });

  it('keeps secrets out of git: env/*.user is ignored and the example holds none', () => {
    assert.match(read('.gitignore'), /^env\/\.env\.\*\.user$/m);
    for (const [name, value] of Object.entries(parseDotenv(read('env/.env.prod.user.example'))))
      assert.equal(value, '', `${name} is empty in the example`);
  });
});
