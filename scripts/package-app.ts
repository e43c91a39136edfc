// `npm run package`: fills manifest/manifest.json and its language files (pt-pt.json…) from the
// environment (.env too), adds the command menus built from the bot's command table
// (src/bot/commands.ts) with their translations, validates it all offline against the schemas
// @microsoft/app-manifest bundles, checks the icons and writes build/lead-assistant.zip, the
// package you upload to Teams.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ZipFile } from 'yazl';
import { COMMANDS, type Command } from '../src/bot/commands.js';
import { pickLocale, translator } from '../src/i18n/translator.js';

const require = createRequire(import.meta.url);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export interface PackageOptions {
  appId: string;
  domain: string;
  /** The Entra app the tab's SSO tokens are for (TAB_APP_ID); the bot's app id when absent. */
  tabAppId?: string;
  /** TEAMS_APP_ID: the app's id in the Developer Portal (`atk provision` makes one); the bot's app id when absent. */
  teamsAppId?: string;
  /** APP_VERSION: Teams takes an upload over an installed app only with a higher version. */
  version?: string;
  /** APP_DEVELOPER_NAME: who publishes the app, shown in Teams' app details. */
  developerName?: string;
  /** APP_WEBSITE_URL, APP_PRIVACY_URL, APP_TERMS_URL: the pages this server serves when absent. */
  websiteUrl?: string;
  privacyUrl?: string;
  termsUrl?: string;
}

const PACKAGE_VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;
const DEFAULT_DEVELOPER = 'Lead Assistant contributors';
// Teams' manifest schema: three whole numbers; a name of at most 32 characters.
const VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export function readPackageOptions(env: Record<string, string | undefined>): PackageOptions {
  const appId = env.MicrosoftAppId?.trim() ?? '';
  const domain = env.BOT_DOMAIN?.trim() ?? '';
  if (!GUID.test(appId)) {
    throw new Error(
      `MicrosoftAppId must be your bot's app id, a GUID like 00000000-0000-0000-0000-000000000000 (got "${appId}").`,
    );
  }
  if (!HOST.test(domain)) {
    throw new Error(
      `BOT_DOMAIN must be the bot's public host name, like leads.contoso.com, without https:// or a path (got "${domain}").`,
    );
  }
  const tabAppId = env.TAB_APP_ID?.trim() ?? '';
  if (tabAppId && !GUID.test(tabAppId))
    throw new Error(
      `TAB_APP_ID must be the tab's Entra app (client) id, a GUID (got "${tabAppId}"); leave it empty to use MicrosoftAppId.`,
    );
  return { appId, domain, ...(tabAppId ? { tabAppId } : {}), ...readAppDetails(env) };
}

/** The manifest's version, developer name and links, each only when set (the defaults apply otherwise). */
function readAppDetails(env: Record<string, string | undefined>): Partial<PackageOptions> {
  const details: Partial<PackageOptions> = {};
  const teamsAppId = env.TEAMS_APP_ID?.trim() ?? '';
  if (teamsAppId) {
    if (!GUID.test(teamsAppId))
      throw new Error(
        `TEAMS_APP_ID must be the Teams app's id, a GUID (got "${teamsAppId}"); leave it empty to use MicrosoftAppId.`,
      );
    details.teamsAppId = teamsAppId;
  }
  const version = env.APP_VERSION?.trim() ?? '';
  if (version) {
    if (!VERSION.test(version))
      throw new Error(
        `APP_VERSION must be three whole numbers like 1.0.3 (got "${version}"); raise it for every upload that replaces an installed app.`,
      );
    details.version = version;
  }
  const name = env.APP_DEVELOPER_NAME?.trim() ?? '';
  if (name) {
    if (name.length > 32)
      throw new Error(
        `APP_DEVELOPER_NAME must be at most 32 characters, as Teams shows it (got ${name.length}).`,
      );
    details.developerName = name;
  }
  for (const [variable, key] of [
    ['APP_WEBSITE_URL', 'websiteUrl'],
    ['APP_PRIVACY_URL', 'privacyUrl'],
    ['APP_TERMS_URL', 'termsUrl'],
  ] as const) {
    const raw = env[variable]?.trim() ?? '';
    if (!raw) continue;
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {}
    if (url?.protocol !== 'https:' || raw.length > 2048)
      throw new Error(`${variable} must be an https URL, like https://contoso.com/privacy (got "${raw}").`);
    details[key] = raw;
  }
  return details;
}

// "${{name}}", escaped so it is not read as a template literal.
const placeholder = (name: string) => `$\{{${name}}}`;
// Filled into JSON text: a developer name may hold a quote or a backslash.
const jsonText = (value: string) => JSON.stringify(value).slice(1, -1);

export function fillPlaceholders(template: string, options: PackageOptions): string {
  const site = `https://${options.domain}`;
  const values: Record<string, string> = {
    MicrosoftAppId: options.appId,
    TEAMS_APP_ID: options.teamsAppId ?? options.appId,
    BOT_DOMAIN: options.domain,
    TAB_APP_ID: options.tabAppId ?? options.appId,
    APP_VERSION: options.version ?? PACKAGE_VERSION,
    APP_DEVELOPER_NAME: options.developerName ?? DEFAULT_DEVELOPER,
    APP_WEBSITE_URL: options.websiteUrl ?? `${site}/`,
    APP_PRIVACY_URL: options.privacyUrl ?? `${site}/privacy`,
    APP_TERMS_URL: options.termsUrl ?? `${site}/terms`,
  };
  let filled = template;
  for (const [name, value] of Object.entries(values))
    filled = filled.replaceAll(placeholder(name), jsonText(value));
  const left = filled.match(/\$\{\{[^}]*\}\}/);
  if (left)
    throw new Error(
      `manifest.json still has the placeholder ${left[0]}; the packager knows ${Object.keys(values).join(', ')} only.`,
    );
  return filled;
}

const SCOPES = ['team', 'personal', 'groupChat'] as const;
type Scope = (typeof SCOPES)[number];

/** The commands each menu offers: a team's has the channel-only ones too; scopes offering the same share one. */
function menus(commands: readonly Command[]): Array<{ scopes: Scope[]; commands: Command[] }> {
  const lists: Array<{ scopes: Scope[]; commands: Command[] }> = [];
  for (const scope of SCOPES) {
    const offered = commands.filter((c) => c.inMenu && (c.place === 'anywhere' || scope === 'team'));
    const same = lists.find(
      (l) => l.commands.length === offered.length && l.commands.every((c, i) => c === offered[i]),
    );
    if (same) same.scopes.push(scope);
    else if (offered.length > 0) lists.push({ scopes: [scope], commands: offered });
  }
  return lists;
}

export interface CommandList {
  scopes: Scope[];
  commands: Array<{ title: string; description: string }>;
}

/** manifest.json's `bots[0].commandLists`, in English: each command's name and its first help line. */
export function commandLists(commands: readonly Command[] = COMMANDS): CommandList[] {
  const t = translator('en', 'en');
  return menus(commands).map((menu) => ({
    scopes: menu.scopes,
    commands: menu.commands.map((c) => ({ title: c.name, description: t(firstHelp(c)) })),
  }));
}

/** A language file's strings for those menus (keyed by index, as Teams wants); none for English or a language the bot lacks. */
export function commandTranslations(
  languageTag: string,
  commands: readonly Command[] = COMMANDS,
): Record<string, string> {
  const locale = pickLocale(languageTag, 'en');
  if (locale === 'en') return {};
  const t = translator(locale, 'en');
  const strings: Record<string, string> = {};
  menus(commands).forEach((menu, i) => {
    menu.commands.forEach((c, j) => {
      const key = `bots[0].commandLists[${i}].commands[${j}]`;
      const title = c.localTitles?.[locale];
      if (title) strings[`${key}.title`] = title;
      strings[`${key}.description`] = t(firstHelp(c));
    });
  });
  return strings;
}

function firstHelp(command: Command) {
  const row = command.help[0];
  if (!row) throw new Error(`The command "${command.name}" has no help text for the menu.`);
  return row.text;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG file');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Against `schema`, else the schema `$schema` names, read from the copies @microsoft/app-manifest bundles. */
async function validateAgainstSchema(json: unknown, schema?: unknown): Promise<string[]> {
  const { AppManifestUtils } = require('@microsoft/app-manifest') as {
    AppManifestUtils: { validateAgainstSchema(m: unknown, schema?: unknown): Promise<string[]> };
  };
  return AppManifestUtils.validateAgainstSchema(json, schema);
}

/**
 * The bundled copy of a Localization schema. Read here, not through `$schema`, because ajv compiles
 * patterns with the u flag, under which two of its patterns do not compile (`…\b]\.description$`:
 * a lone bracket); escaped, they mean what they meant.
 */
function readLocalizationSchema(url: string): unknown {
  const prefix = 'https://developer.microsoft.com/json-schemas/';
  const bundled = join(dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas');
  const path = join(bundled, url.slice(prefix.length));
  if (!url.startsWith(prefix) || !existsSync(path))
    throw new Error(
      `@microsoft/app-manifest bundles no schema for "${url}"; use a manifest version it knows.`,
    );
  return JSON.parse(readFileSync(path, 'utf8').replaceAll(String.raw`\\b]`, String.raw`\\b\\]`));
}

interface LocalizationInfo {
  defaultLanguageTag?: string;
  defaultLanguageFile?: string;
  additionalLanguages?: Array<{ languageTag: string; file: string }>;
}

/** `bots[0].commandLists[1].commands[0].title` → the manifest's string there, if any. */
function stringAt(manifest: unknown, key: string): string | undefined {
  let at: unknown = manifest;
  for (const part of key.match(/[^.[\]]+/g) ?? []) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === 'string' ? at : undefined;
}

/**
 * The language files manifest.json's localizationInfo names, filled, given the command menus'
 * translations and checked: each one valid against the Localization schema of the manifest's own
 * version (so it too is read offline), and translating only strings the manifest has. `manifest`
 * has its command lists already.
 */
export async function readLocalizations(
  manifest: { $schema?: string; localizationInfo?: LocalizationInfo },
  manifestDir: string,
  options: PackageOptions,
): Promise<Record<string, Buffer>> {
  const info = manifest.localizationInfo;
  const languages = [
    ...(info?.defaultLanguageFile
      ? [{ file: info.defaultLanguageFile, tag: info.defaultLanguageTag ?? '' }]
      : []),
    ...(info?.additionalLanguages ?? []).map((language) => ({
      file: language.file,
      tag: language.languageTag,
    })),
  ];
  const files: Record<string, Buffer> = {};
  if (languages.length === 0) return files;
  const schemaUrl = (manifest.$schema ?? '').replace(
    /MicrosoftTeams\.schema\.json$/,
    'MicrosoftTeams.Localization.schema.json',
  );
  const schema = readLocalizationSchema(schemaUrl);
  for (const { file: name, tag } of languages) {
    if (!/^[\w.-]+\.json$/.test(name) || name === 'manifest.json')
      throw new Error(
        `localizationInfo names "${name}": give a .json file name beside manifest.json, like pt-pt.json.`,
      );
    let text: string;
    try {
      text = fillPlaceholders(readFileSync(join(manifestDir, name), 'utf8'), options);
    } catch (error) {
      throw new Error(`${name}, named in manifest.json's localizationInfo: ${(error as Error).message}`);
    }
    let strings: Record<string, unknown>;
    try {
      strings = { ...JSON.parse(text), ...commandTranslations(tag) };
    } catch (error) {
      throw new Error(`${name} is not valid JSON: ${(error as Error).message}`);
    }
    if (strings.$schema !== schemaUrl)
      throw new Error(
        `${name} must have "$schema": "${schemaUrl}", the localisation schema of manifest.json's version.`,
      );
    const errors = await validateAgainstSchema(strings, schema);
    if (errors.length > 0)
      throw new Error(`${name} does not match the Teams localisation schema:\n  ${errors.join('\n  ')}`);
    for (const key of Object.keys(strings)) {
      if (key === '$schema' || key === 'localizationKeys') continue;
      if (stringAt(manifest, key) === undefined)
        throw new Error(`${name} translates ${key}, which manifest.json does not have.`);
    }
    files[name] = Buffer.from(`${JSON.stringify(strings, null, 2)}\n`);
  }
  return files;
}

export async function buildAppPackage(
  options: PackageOptions,
  manifestDir: string,
  outDir: string,
): Promise<string> {
  const parsed = JSON.parse(
    fillPlaceholders(readFileSync(join(manifestDir, 'manifest.json'), 'utf8'), options),
  );
  const bot = parsed.bots?.[0];
  if (bot) bot.commandLists = commandLists();
  const manifest = `${JSON.stringify(parsed, null, 2)}\n`;
  const errors = await validateAgainstSchema(parsed);
  if (errors.length > 0)
    throw new Error(`manifest.json does not match the Teams schema:\n  ${errors.join('\n  ')}`);
  const icons = { 'color.png': 192, 'outline.png': 32 };
  const files: Record<string, Buffer> = {
    'manifest.json': Buffer.from(manifest),
    ...(await readLocalizations(parsed, manifestDir, options)),
  };
  for (const [name, size] of Object.entries(icons)) {
    const data = readFileSync(join(manifestDir, name));
    const { width, height } = pngSize(data);
    if (width !== size || height !== size)
      throw new Error(`${name} must be ${size}×${size} pixels, it is ${width}×${height}.`);
    files[name] = data;
  }
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'lead-assistant.zip');
  const zip = new ZipFile();
  for (const [name, data] of Object.entries(files)) zip.addBuffer(data, name, { mtime: new Date(0) });
  zip.end();
  const { createWriteStream } = await import('node:fs');
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(path)).on('close', resolve).on('error', reject);
  });
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await import('dotenv/config');
  try {
    const path = await buildAppPackage(readPackageOptions(process.env), 'manifest', 'build');
    console.log(`Wrote ${path}. Upload it in Teams: Apps → Manage your apps → Upload an app.`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
