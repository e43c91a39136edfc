// The only reader of the environment. Pure: takes the variables, returns typed settings or throws
// an error that names the variable and what a valid value looks like.

import { isIP } from 'node:net';
import { LOG_LEVELS, type LogLevel } from '../log.js';
import { ConfigError } from './error.js';
import { type EventsConfig, readEvents } from './events.js';
import {
  type MarketplaceTableSettings,
  readLeaseTtl,
  readMarketplaceTable,
  readStore,
  type StoreSettings,
} from './store.js';
import { splitList } from './values.js';

export { ConfigError } from './error.js';
export type { EventsConfig } from './events.js';
export type { MarketplaceTableSettings, StoreSettings, TableAccount } from './store.js';

export type AppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
export type Locale = 'en' | 'pt-PT';

export interface BotCredentials {
  appId: string;
  appPassword: string;
  appType: AppType;
  tenantId: string;
}

export interface Config {
  port: number;
  /** Address to listen on: loopback by default in local mode, where /api/messages is open. */
  host: string;
  bot: BotCredentials;
  /** True only in explicit local mode: no app id, the bot accepts activities without a token. */
  localMode: boolean;
  /** Accepted webhook keys; two during a rotation. Empty only in local mode. */
  webhookSecrets: string[];
  dataDir: string;
  /** AAD object ids or UPNs, lower-cased. */
  managers: string[];
  defaultLocale: Locale;
  timeZone: string;
  /** `owner`: e-mail and phone on channel cards only for the lead's owner and managers. */
  contactVisibility: 'team' | 'owner';
  /** Personal data of closed leads is erased this many days after they closed; undefined keeps it. */
  retentionDays: number | undefined;
  reminders: ReminderSettings;
  /** Least severe level the logger writes: info, warn or error. */
  logLevel: LogLevel;
  /** Lead events (EVENTS_URL …): `endpoints` empty means none are sent. */
  events: EventsConfig;
  /** Where leads and everything else are kept. */
  store: StoreSettings;
  /** Partner Center's Azure Table destination, read as a source of leads; undefined when not set. */
  marketplaceTable: MarketplaceTableSettings | undefined;
  /** How long the background-work lease lasts unless renewed (LEASE_TTL_SECONDS, default 30 s). */
  leaseTtlMs: number;
  /** Public host name of this server (BOT_DOMAIN), without scheme; empty when not set. */
  botDomain: string;
  /** How the tab's SSO tokens are checked. */
  tab: TabAuth;
}

/**
 * `entra`: Entra ID v2 tokens, keys from `jwksUrl` (production, and local mode with all three
 * TAB_* set). `dev`: local mode only, tokens signed by a key the server makes at start.
 * `off`: no tenant to accept tokens from (a MultiTenant bot without TAB_TENANT_ID).
 */
export type TabAuth =
  | { mode: 'entra'; appId: string; tenantId: string; jwksUrl: string; audiences: string[] }
  | { mode: 'dev' }
  | { mode: 'off'; reason: string };

export const ENTRA_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';

export interface ReminderSettings {
  contactMeMinutes: number;
  otherMinutes: number;
  nudgeAfterDays: number;
  /** Minutes after local midnight. */
  businessStart: number;
  businessEnd: number;
  /** 0 = Sunday … 6 = Saturday. */
  businessDays: number[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MIN_SECRET_LENGTH = 16;

export function readConfig(env: Record<string, string | undefined>): Config {
  const value = (name: string) => env[name]?.trim() ?? '';
  const bot = readBotCredentials(value);
  const localMode = readBoolean('ALLOW_UNAUTHENTICATED_BOT', value('ALLOW_UNAUTHENTICATED_BOT'));
  const botDomain = readBotDomain(value('BOT_DOMAIN'));
  if (!bot.appId && !localMode) {
    throw new ConfigError(
      'MicrosoftAppId',
      'is not set, so the bot could not check who is calling it. Set it to your Azure Bot app id, ' +
        'or set ALLOW_UNAUTHENTICATED_BOT=true for a local run (Agents Playground) only.',
    );
  }
  if (bot.appId && localMode) {
    throw new ConfigError(
      'ALLOW_UNAUTHENTICATED_BOT',
      'is true while MicrosoftAppId is set. Local mode turns authentication off; remove one of the two.',
    );
  }
  return {
    port: readPort(value('PORT')),
    host: readHost(value('HOST'), localMode),
    bot,
    localMode,
    webhookSecrets: readSecrets(value('LEADS_WEBHOOK_SECRET'), localMode),
    dataDir: value('DATA_DIR') || './data',
    managers: splitList(value('MANAGERS')).map((m) => m.toLowerCase()),
    defaultLocale: readLocale(value('DEFAULT_LOCALE')),
    timeZone: readTimeZone(value('TIME_ZONE')),
    contactVisibility: readContactVisibility(value('CONTACT_VISIBILITY')),
    retentionDays: readRetentionDays(value('RETENTION_DAYS')),
    reminders: readReminders(value),
    logLevel: readLogLevel(value('LOG_LEVEL')),
    events: readEvents(value, localMode, botDomain),
    store: readStore(value),
    marketplaceTable: readMarketplaceTable(value),
    leaseTtlMs: readLeaseTtl(value('LEASE_TTL_SECONDS')) * 1000,
    botDomain,
    tab: readTabAuth(value, bot, localMode, botDomain),
  };
}

const HOST_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

function readBotDomain(raw: string): string {
  if (raw === '') return '';
  if (!HOST_NAME.test(raw))
    throw new ConfigError(
      'BOT_DOMAIN',
      `must be the bot's public host name, like leads.contoso.com, without https:// or a path; got "${raw}".`,
    );
  return raw.toLowerCase();
}

/**
 * TAB_APP_ID (default MicrosoftAppId), TAB_TENANT_ID (default MicrosoftAppTenantId), TAB_JWKS_URL
 * (default Microsoft's keys). Local mode without any of them trusts a key made at start instead;
 * set all three to check tokens exactly as production does.
 */
function readTabAuth(
  value: (name: string) => string,
  bot: BotCredentials,
  localMode: boolean,
  domain: string,
): TabAuth {
  const explicit = ['TAB_APP_ID', 'TAB_TENANT_ID', 'TAB_JWKS_URL'].filter((name) => value(name) !== '');
  if (localMode && explicit.length === 0) return { mode: 'dev' };
  if (localMode && explicit.length < 3) {
    const missing = ['TAB_APP_ID', 'TAB_TENANT_ID', 'TAB_JWKS_URL'].find((name) => value(name) === '');
    throw new ConfigError(
      missing ?? 'TAB_APP_ID',
      'is empty while other TAB_* settings are set. In local mode set all three (tokens are then checked ' +
        'as in production), or none (the server signs its own tokens for the local tab host).',
    );
  }
  const appId = value('TAB_APP_ID') || bot.appId;
  const tenantId = value('TAB_TENANT_ID') || bot.tenantId;
  const jwksUrl = readJwksUrl(value('TAB_JWKS_URL'));
  if (!GUID.test(appId))
    throw new ConfigError('TAB_APP_ID', `must be the tab's Entra app (client) id, a GUID; got "${appId}".`);
  if (tenantId === '')
    return {
      mode: 'off',
      reason:
        'No tenant is allowed to use the tab: set TAB_TENANT_ID (or MicrosoftAppTenantId) on the server.',
    };
  if (!GUID.test(tenantId))
    throw new ConfigError('TAB_TENANT_ID', `must be your Entra tenant id, a GUID; got "${tenantId}".`);
  const id = appId.toLowerCase();
  // v2 tokens carry the client id; v1 tokens the App ID URI (docs/teams-app.md sets it up).
  const audiences = [id, ...(domain ? [`api://${domain}/${id}`] : [])];
  return { mode: 'entra', appId: id, tenantId: tenantId.toLowerCase(), jwksUrl, audiences };
}

function readJwksUrl(raw: string): string {
  if (raw === '') return ENTRA_JWKS_URL;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {}
  // Plain http only to this machine (a test's key server): keys over the network need TLS.
  const loopback =
    url?.hostname === '127.0.0.1' || url?.hostname === '[::1]' || url?.hostname === 'localhost';
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)))
    throw new ConfigError(
      'TAB_JWKS_URL',
      `must be an https URL of a JSON Web Key Set, like ${ENTRA_JWKS_URL}; got "${raw}".`,
    );
  return url.href;
}

function readBotCredentials(value: (name: string) => string): BotCredentials {
  const appId = value('MicrosoftAppId');
  if (appId && !GUID.test(appId)) {
    throw new ConfigError('MicrosoftAppId', `must be a GUID like 00000000-0000-0000-0000-000000000000.`);
  }
  const rawType = value('MicrosoftAppType') || 'MultiTenant';
  const appType = (['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const).find(
    (t) => t.toLowerCase() === rawType.toLowerCase(),
  );
  if (!appType) {
    throw new ConfigError(
      'MicrosoftAppType',
      `must be MultiTenant, SingleTenant or UserAssignedMSI, got "${rawType}".`,
    );
  }
  const tenantId = value('MicrosoftAppTenantId');
  if (appType !== 'MultiTenant' && appId && !tenantId) {
    throw new ConfigError('MicrosoftAppTenantId', `is required when MicrosoftAppType is ${appType}.`);
  }
  const appPassword = value('MicrosoftAppPassword');
  // botbuilder asserts this at the first turn with a stack trace; said here, at start, by name.
  if (appType === 'UserAssignedMSI' && appPassword) {
    throw new ConfigError(
      'MicrosoftAppPassword',
      'must be empty when MicrosoftAppType is UserAssignedMSI: the managed identity signs the bot in, without a secret.',
    );
  }
  if (appId && appType !== 'UserAssignedMSI' && !appPassword) {
    throw new ConfigError(
      'MicrosoftAppPassword',
      'is required with MicrosoftAppId (the client secret of the app).',
    );
  }
  return { appId, appPassword, appType, tenantId };
}

function readPort(raw: string): number {
  if (!raw) return 3978;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 0 to 65535, got "${raw}".`);
  }
  return port;
}

function readHost(raw: string, localMode: boolean): string {
  if (!raw) return localMode ? '127.0.0.1' : '0.0.0.0';
  if (raw.toLowerCase() === 'localhost') return '127.0.0.1';
  // An address, not a name: a name could resolve to an interface nobody meant to open.
  const address = raw.replace(/^\[(.*)\]$/, '$1');
  if (isIP(address) === 0) {
    throw new ConfigError(
      'HOST',
      `must be an IP address such as 127.0.0.1 (this machine only), 0.0.0.0 (every IPv4 interface) or :: (every interface), got "${raw}".`,
    );
  }
  return address;
}

function readBoolean(name: string, raw: string): boolean {
  if (raw === '' || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  throw new ConfigError(name, `must be true or false, got "${raw}".`);
}

function readSecrets(raw: string, localMode: boolean): string[] {
  const secrets = splitList(raw);
  if (secrets.length === 0 && !localMode) {
    throw new ConfigError(
      'LEADS_WEBHOOK_SECRET',
      `is not set. Generate one (e.g. "openssl rand -hex 24") and put it in the Partner Center URL as ?code=<secret>.`,
    );
  }
  const short = secrets.find((s) => s.length < MIN_SECRET_LENGTH);
  if (short !== undefined && !localMode) {
    throw new ConfigError(
      'LEADS_WEBHOOK_SECRET',
      `each secret needs at least ${MIN_SECRET_LENGTH} characters.`,
    );
  }
  if (secrets.length > 2) {
    throw new ConfigError(
      'LEADS_WEBHOOK_SECRET',
      'takes one secret, or two separated by a comma while rotating.',
    );
  }
  return secrets;
}

function readLocale(raw: string): Locale {
  if (!raw) return 'en';
  if (/^en(-|$)/i.test(raw)) return 'en';
  if (/^pt(-|$)/i.test(raw)) return 'pt-PT';
  throw new ConfigError('DEFAULT_LOCALE', `must be en or pt-PT, got "${raw}".`);
}

function readTimeZone(raw: string): string {
  const zone = raw || 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError('TIME_ZONE', `must be an IANA time zone like Europe/Lisbon or UTC, got "${raw}".`);
  }
  return zone;
}

function readContactVisibility(raw: string): 'team' | 'owner' {
  if (raw === '' || raw.toLowerCase() === 'team') return 'team';
  if (raw.toLowerCase() === 'owner') return 'owner';
  throw new ConfigError('CONTACT_VISIBILITY', `must be team or owner, got "${raw}".`);
}

function readRetentionDays(raw: string): number | undefined {
  if (raw === '') return undefined;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) {
    throw new ConfigError(
      'RETENTION_DAYS',
      `must be a whole number of days (1 or more), or empty to keep data; got "${raw}".`,
    );
  }
  return days;
}

function readReminders(value: (name: string) => string): ReminderSettings {
  const minutes = (name: string, fallback: number) => {
    const raw = value(name);
    if (raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1)
      throw new ConfigError(name, `must be a whole number of minutes or days (1 or more), got "${raw}".`);
    return n;
  };
  const hours = value('BUSINESS_HOURS') || '09:00-18:00';
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/.exec(hours);
  const start = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  const end = match ? Number(match[3]) * 60 + Number(match[4]) : Number.NaN;
  if (!match || end <= start)
    throw new ConfigError('BUSINESS_HOURS', `must look like 09:00-18:00, got "${hours}".`);
  const names = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const daysRaw = (value('BUSINESS_DAYS') || 'mon,tue,wed,thu,fri').toLowerCase();
  const days = splitList(daysRaw).map((d) => names.indexOf(d.slice(0, 3)));
  if (days.length === 0 || days.some((d) => d < 0)) {
    throw new ConfigError('BUSINESS_DAYS', `must list days like mon,tue,wed,thu,fri, got "${daysRaw}".`);
  }
  return {
    contactMeMinutes: minutes('SLA_CONTACT_ME_MINUTES', 60),
    otherMinutes: minutes('SLA_OTHER_MINUTES', 240),
    nudgeAfterDays: minutes('NUDGE_AFTER_DAYS', 3),
    businessStart: start,
    businessEnd: end,
    businessDays: days,
  };
}

function readLogLevel(raw: string): LogLevel {
  if (raw === '') return 'info';
  const level = LOG_LEVELS.find((l) => l === raw.toLowerCase());
  if (!level) throw new ConfigError('LOG_LEVEL', `must be info, warn or error, got "${raw}".`);
  return level;
}
