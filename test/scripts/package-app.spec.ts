import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
import {
  buildAppPackage,
  commandLists,
  commandTranslations,
  fillPlaceholders,
  pngSize,
  readPackageOptions,
} from '../../scripts/package-app.js';
import { COMMANDS, matchCommand } from '../../src/bot/commands.js';
import { SEARCH_COMMAND_ID, SEARCH_PARAMETER } from '../../src/bot/handlers/search-leads.js';
import { translator } from '../../src/i18n/translator.js';

const options = { appId: '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f', domain: 'leads.contoso.com' };
const env = { MicrosoftAppId: options.appId, BOT_DOMAIN: options.domain };

/** The entries of a zip, by reading its local headers (enough for the files yazl writes). */
function readZip(path: string): Map<string, Buffer> {
  const zip = readFileSync(path);
  const entries = new Map<string, Buffer>();
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const method = zip.readUInt16LE(at + 8);
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const extra = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 30, at + 30 + nameLength);
    const start = at + 30 + nameLength + extra;
    const data = zip.subarray(start, start + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : data);
    at = start + size;
  }
  return entries;
}

describe('npm run package', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-package-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a zip with the filled, schema-valid manifest and both icons at its root', async () => {
    const path = await buildAppPackage(options, 'manifest', dir);
    const entries = readZip(path);
    assert.deepEqual([...entries.keys()].sort(), ['color.png', 'manifest.json', 'outline.png', 'pt-pt.json']);
    const manifest = JSON.parse(String(entries.get('manifest.json')));
    assert.equal(manifest.id, options.appId);
    assert.equal(manifest.bots[0].botId, options.appId);
    assert.deepEqual(manifest.validDomains, ['leads.contoso.com']);
    assert.deepEqual(manifest.bots[0].scopes, ['team', 'personal', 'groupChat']);
    // Teams offers files to a bot in personal chats only: a manager sends the Partner Center export there.
    assert.equal(manifest.bots[0].supportsFiles, true);
  });

  it('adds the Leads tab (personal and team) and the SSO registration for the tab’s app', async () => {
    const manifest = JSON.parse(
      String(readZip(await buildAppPackage(options, 'manifest', dir)).get('manifest.json')),
    );
    const [leads, chat] = manifest.staticTabs;
    assert.equal(leads.entityId, 'leads');
    assert.deepEqual(leads.scopes, ['personal', 'team']);
    assert.equal(leads.contentUrl, 'https://leads.contoso.com/tab/?inTeams=1');
    assert.equal(chat.entityId, 'conversations');
    assert.deepEqual(manifest.webApplicationInfo, {
      id: options.appId,
      resource: `api://leads.contoso.com/${options.appId}`,
    });
    const tabAppId = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    const own = JSON.parse(
      String(readZip(await buildAppPackage({ ...options, tabAppId }, 'manifest', dir)).get('manifest.json')),
    );
    assert.deepEqual(own.webApplicationInfo, {
      id: tabAppId,
      resource: `api://leads.contoso.com/${tabAppId}`,
    });
    assert.equal(own.id, options.appId, 'the Teams app stays the bot’s');
    assert.throws(() => readPackageOptions({ ...env, TAB_APP_ID: 'leads-tab' }), /TAB_APP_ID must be/);
    assert.deepEqual(readPackageOptions({ ...env, TAB_APP_ID: tabAppId }), { ...options, tabAppId });
  });

  it('declares the message extension: a Leads search the bot answers, and unfurling of links on BOT_DOMAIN', async () => {
    const entries = readZip(await buildAppPackage(options, 'manifest', dir));
    const manifest = JSON.parse(String(entries.get('manifest.json')));
    assert.equal(manifest.composeExtensions.length, 1);
    const [extension] = manifest.composeExtensions;
    assert.equal(extension.botId, options.appId);
    const [command, ...others] = extension.commands;
    assert.deepEqual(others, []);
    // The ids the bot's handler reads: a renamed command or parameter would search nothing.
    assert.equal(command.id, SEARCH_COMMAND_ID);
    assert.equal(command.type, 'query');
    assert.equal(command.title, 'Leads');
    assert.equal(command.initialRun, true);
    assert.deepEqual(command.context, ['compose', 'commandBox']);
    assert.deepEqual(
      command.parameters.map((p: { name: string; inputType: string }) => [p.name, p.inputType]),
      [[SEARCH_PARAMETER, 'text']],
    );
    assert.deepEqual(extension.messageHandlers, [
      { type: 'link', value: { domains: ['leads.contoso.com'], supportsAnonymizedPayloads: false } },
    ]);
    const pt = JSON.parse(String(entries.get('pt-pt.json')));
    assert.equal(pt['composeExtensions[0].commands[0].title'], 'Contactos');
    assert.ok(pt['composeExtensions[0].commands[0].parameters[0].description']);
  });

  it('refuses a message extension the Teams schema rejects', async () => {
    cpSync('manifest', dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.composeExtensions[0].commands[0].title = 'A search title far longer than Teams allows';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await assert.rejects(
      buildAppPackage(options, dir, join(dir, 'out')),
      /composeExtensions.*title|title.*32/s,
    );
  });

  it('ships the European Portuguese strings for every name, description and command', async () => {
    const entries = readZip(await buildAppPackage(options, 'manifest', dir));
    const manifest = JSON.parse(String(entries.get('manifest.json')));
    assert.deepEqual(manifest.localizationInfo, {
      defaultLanguageTag: 'en-us',
      additionalLanguages: [{ languageTag: 'pt-pt', file: 'pt-pt.json' }],
    });
    const pt = JSON.parse(String(entries.get('pt-pt.json')));
    assert.equal(pt.$schema, manifest.$schema.replace('schema.json', 'Localization.schema.json'));
    assert.match(pt['description.full'], /contacto/);
    manifest.bots[0].commandLists.forEach((list: { commands: { title: string }[] }, i: number) => {
      list.commands.forEach((command, j) => {
        const key = `bots[0].commandLists[${i}].commands[${j}]`;
        assert.ok(pt[`${key}.description`], `${key} (${command.title}) has a Portuguese description`);
      });
    });
  });

  it('lists summary and digest in the command menus, as the help card does', async () => {
    const entries = readZip(await buildAppPackage(options, 'manifest', dir));
    const manifest = JSON.parse(String(entries.get('manifest.json')));
    for (const list of manifest.bots[0].commandLists) {
      const titles = list.commands.map((command: { title: string }) => command.title);
      for (const command of ['help', 'lead', 'my leads', 'unassigned', 'find', 'summary', 'digest'])
        assert.ok(titles.includes(command), `${command} in the ${list.scopes} menu`);
    }
  });

  it('builds the command menus from the command table, the channel-only ones in the team’s menu only', async () => {
    const entries = readZip(await buildAppPackage(options, 'manifest', dir));
    const manifest = JSON.parse(String(entries.get('manifest.json')));
    assert.deepEqual(manifest.bots[0].commandLists, commandLists());
    const en = translator('en', 'en');
    const menu = (c: (typeof COMMANDS)[number]) => ({
      title: c.name,
      description: en(c.help[0]?.text ?? 'help.cmdHelp'),
    });
    assert.deepEqual(commandLists(), [
      { scopes: ['team'], commands: COMMANDS.filter((c) => c.inMenu).map(menu) },
      {
        scopes: ['personal', 'groupChat'],
        commands: COMMANDS.filter((c) => c.inMenu && c.place === 'anywhere').map(menu),
      },
    ]);
    const team = commandLists()[0]?.commands.map((c) => c.title) ?? [];
    assert.ok(team.includes('use this channel for leads'));
    assert.ok(!team.includes('forget'), 'erasing data is in the help, not the menu');
    for (const list of commandLists()) assert.ok(list.commands.length <= 10, 'Teams shows at most 10');
  });

  it('translates the menus from the bot’s own Portuguese, and nothing for English', async () => {
    const entries = readZip(await buildAppPackage(options, 'manifest', dir));
    const pt = JSON.parse(String(entries.get('pt-pt.json')));
    const strings = commandTranslations('pt-pt');
    for (const [key, value] of Object.entries(strings)) assert.equal(pt[key], value, key);
    assert.equal(strings['bots[0].commandLists[0].commands[0].title'], 'ajuda');
    assert.equal(
      strings['bots[0].commandLists[1].commands[5].description'],
      translator('pt-PT', 'en')('help.cmdSummary'),
    );
    assert.deepEqual(commandTranslations('en-gb'), {});
  });

  it('refuses a language file that is missing, off schema, or translates what the manifest lacks', async () => {
    const copy = join(dir, 'manifest');
    cpSync('manifest', copy, { recursive: true });
    const pt = JSON.parse(readFileSync('manifest/pt-pt.json', 'utf8'));
    const build = () => buildAppPackage(options, copy, join(dir, 'out'));

    rmSync(join(copy, 'pt-pt.json'));
    await assert.rejects(build(), /pt-pt\.json, named in manifest\.json's localizationInfo: ENOENT/);

    writeFileSync(join(copy, 'pt-pt.json'), JSON.stringify({ ...pt, 'name.short': 'x'.repeat(31) }));
    await assert.rejects(
      build(),
      /pt-pt\.json does not match the Teams localisation schema[\s\S]*name\.short/,
    );

    writeFileSync(join(copy, 'pt-pt.json'), JSON.stringify({ ...pt, $schema: 'https://example.com/x.json' }));
    await assert.rejects(build(), /must have "\$schema": "https:\/\/developer\.microsoft\.com/);

    const stray = 'bots[0].commandLists[1].commands[9].description';
    writeFileSync(join(copy, 'pt-pt.json'), JSON.stringify({ ...pt, [stray]: 'Nada' }));
    await assert.rejects(
      build(),
      /translates bots\[0\]\.commandLists\[1\]\.commands\[9\]\.description, which/,
    );

    const manifest = JSON.parse(readFileSync('manifest/manifest.json', 'utf8'));
    manifest.localizationInfo.additionalLanguages[0].file = '../secrets.json';
    writeFileSync(join(copy, 'pt-pt.json'), JSON.stringify(pt));
    writeFileSync(join(copy, 'manifest.json'), JSON.stringify(manifest));
    await assert.rejects(build(), /give a \.json file name beside manifest\.json/);
  });

  it('refuses a manifest the Teams schema rejects, saying where', async () => {
    cpSync('manifest', join(dir, 'manifest'), { recursive: true });
    const broken = JSON.parse(readFileSync('manifest/manifest.json', 'utf8'));
    broken.bots[0].scopes = ['everywhere'];
    writeFileSync(join(dir, 'manifest', 'manifest.json'), JSON.stringify(broken));
    await assert.rejects(
      buildAppPackage(options, join(dir, 'manifest'), join(dir, 'out')),
      /does not match the Teams schema[\s\S]*scopes/,
    );
  });

  it('names the variable that is missing or malformed', () => {
    assert.throws(() => readPackageOptions({ BOT_DOMAIN: 'leads.contoso.com' }), /MicrosoftAppId must be/);
    assert.throws(
      () => readPackageOptions({ MicrosoftAppId: options.appId, BOT_DOMAIN: 'https://leads.contoso.com/' }),
      /BOT_DOMAIN must be/,
    );
    assert.deepEqual(
      readPackageOptions({ MicrosoftAppId: options.appId, BOT_DOMAIN: 'leads.contoso.com' }),
      options,
    );
  });

  it('refuses a placeholder it cannot fill', () => {
    const template = JSON.stringify({ x: `\${{TAB_URL}}` });
    assert.throws(() => fillPlaceholders(template, options), /\$\{\{TAB_URL\}\}/);
  });

  it('ships icons of the sizes Teams requires, the outline white on transparent', () => {
    assert.deepEqual(pngSize(readFileSync('manifest/color.png')), { width: 192, height: 192 });
    const outline = readFileSync('manifest/outline.png');
    assert.deepEqual(pngSize(outline), { width: 32, height: 32 });
    // scripts/make-icons.ts writes one IDAT with filter 0 on every row, so the pixels read directly.
    const idat = outline.indexOf('IDAT');
    const pixels = inflateSync(outline.subarray(idat + 4, idat + 4 + outline.readUInt32BE(idat - 4)));
    let inked = 0;
    for (let row = 0; row < 32; row++) {
      assert.equal(pixels[row * 129], 0, 'filter byte');
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = pixels.subarray(row * 129 + 1 + x * 4, row * 129 + 5 + x * 4);
        if (a === 0) continue;
        inked++;
        assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${x},${row} is white`);
      }
    }
    assert.ok(inked > 100 && inked < 32 * 32 - 100, 'a symbol, neither empty nor a filled square');
  });
});

describe('npm run package: the app’s details come from settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-details-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const manifestOf = async (opts: Parameters<typeof buildAppPackage>[0]) =>
    JSON.parse(String(readZip(await buildAppPackage(opts, 'manifest', dir)).get('manifest.json')));

  it('fills version, developer name and links from APP_* settings, else package.json’s and this server’s', async () => {
    const plain = await manifestOf(readPackageOptions(env));
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    assert.equal(plain.version, pkg.version);
    assert.deepEqual(plain.developer, {
      name: 'Lead Assistant contributors',
      websiteUrl: 'https://leads.contoso.com/',
      privacyUrl: 'https://leads.contoso.com/privacy',
      termsOfUseUrl: 'https://leads.contoso.com/terms',
    });
    const settings = readPackageOptions({
      ...env,
      APP_VERSION: '1.4.2',
      APP_DEVELOPER_NAME: 'Contoso "Sales" Tools',
      APP_WEBSITE_URL: 'https://contoso.com/lead-assistant',
      APP_PRIVACY_URL: 'https://contoso.com/privacy?app=leads&lang=en',
      APP_TERMS_URL: 'https://contoso.com/terms',
    });
    const manifest = await manifestOf(settings);
    assert.equal(manifest.version, '1.4.2');
    assert.equal(plain.id, options.appId, 'the bot’s id unless the toolkit made a Teams app');
    const teamsAppId = '0b6f0c35-1f2e-4d8a-9c3b-5e7f9a1b2c3d';
    const toolkit = await manifestOf(readPackageOptions({ ...env, TEAMS_APP_ID: teamsAppId }));
    assert.equal(toolkit.id, teamsAppId);
    assert.equal(toolkit.bots[0].botId, options.appId, 'the bot stays the bot');
    assert.deepEqual(manifest.developer, {
      name: 'Contoso "Sales" Tools',
      websiteUrl: 'https://contoso.com/lead-assistant',
      privacyUrl: 'https://contoso.com/privacy?app=leads&lang=en',
      termsOfUseUrl: 'https://contoso.com/terms',
    });
  });

  it('refuses a version, name or link Teams would reject, naming the setting', () => {
    for (const [name, value, message] of [
      ['TEAMS_APP_ID', 'lead-assistant', /TEAMS_APP_ID must be the Teams app's id, a GUID/],
      ['APP_VERSION', '1.2', /APP_VERSION must be three whole numbers/],
      ['APP_VERSION', '1.02.3', /APP_VERSION must be/],
      ['APP_VERSION', 'v1.0.0', /APP_VERSION must be/],
      ['APP_DEVELOPER_NAME', 'x'.repeat(33), /APP_DEVELOPER_NAME must be at most 32/],
      ['APP_PRIVACY_URL', 'http://contoso.com/privacy', /APP_PRIVACY_URL must be an https URL/],
      ['APP_TERMS_URL', 'contoso.com/terms', /APP_TERMS_URL must be an https URL/],
      ['APP_WEBSITE_URL', 'javascript:alert(1)', /APP_WEBSITE_URL must be an https URL/],
    ] as const)
      assert.throws(() => readPackageOptions({ ...env, [name]: value }), message, `${name}=${value}`);
  });

  it('translates every command title in pt-pt.json, to words the bot understands', async () => {
    const entries = readZip(await buildAppPackage(options, 'manifest', dir));
    const manifest = JSON.parse(String(entries.get('manifest.json')));
    const pt = JSON.parse(String(entries.get('pt-pt.json')));
    manifest.bots[0].commandLists.forEach((list: { commands: { title: string }[] }, i: number) => {
      list.commands.forEach((command, j) => {
        const title = pt[`bots[0].commandLists[${i}].commands[${j}].title`];
        assert.ok(title, `${command.title} has a Portuguese title`);
        assert.notEqual(title, command.title, `${command.title} is translated`);
        // Teams sends the title the user picked in the menu: the bot must take it for the same command.
        assert.equal(matchCommand(title)?.command.name, command.title, `"${title}" runs ${command.title}`);
      });
    });
  });
});
