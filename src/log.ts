// The logger: JSON lines on stderr (pino), one per call. Personal data never goes in whole, whatever
// a caller passes: pino's `redact` masks e-mails, phones and names by field name, and e-mail
// addresses are masked in every string, the message included. Callers still redact what they know
// (redactEmail / redactPhone); doing it twice gives the same text.

import { AsyncLocalStorage } from 'node:async_hooks';
import { type DestinationStream, pino } from 'pino';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** Where each JSON line goes; stderr (synchronously, so a line before `process.exit` is kept) if unset. */
  write?: (line: string) => void;
  /** The least severe level written; `info` if unset. */
  level?: LogLevel;
}

/** The request being handled, if any: the server enters it for each request (see server.ts). */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Runs `work` outside any request's scope: background work a request starts (an outbox run, its
 * timers, its error handlers) logs under no request's id. Everything `work` schedules inherits that.
 */
export function inBackground<T>(work: () => T): T {
  return requestScope.exit(work);
}

export function createConsoleLogger(options: LoggerOptions = {}): Logger {
  const { write } = options;
  const destination: DestinationStream = write ? { write } : pino.destination({ dest: 2, sync: true });
  return wrap(
    pino(
      {
        level: options.level ?? 'info',
        // `"level":"warn"` and an ISO time read better in Azure's log stream than 40 and epoch ms.
        formatters: { level: (label) => ({ level: label }) },
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: { paths: REDACTED_PATHS, censor },
        // Every line written while a request is handled carries its id (bot turns included). A copy:
        // pino merges the line's own fields into what the mixin returns, which would otherwise be
        // the request's scope itself, and every later line of that request would carry them.
        mixin: () => ({ ...requestScope.getStore() }),
      },
      destination,
    ),
  );
}

function wrap(logger: pino.Logger): Logger {
  const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    logger[level](fields ? scrubFields(fields) : {}, maskEmails(message));
  return {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** `avery.lindqvist@contoso.com` → `a***@contoso.com`. */
export function redactEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return email ? '***' : '';
  return `${email[0]}***${email.slice(at)}`;
}

/** `+1 425 555 0142` → `***0142`. */
export function redactPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits ? `***${digits.slice(-4)}` : '';
}

/** `Avery Lindqvist` → `A***`. */
export function redactName(name: string): string {
  return name ? `${name[0]}***` : '';
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// Field names that hold personal data, in camelCase and PascalCase (Partner Center's payload), at
// any depth up to MAX_DEPTH, and everything under a customer. pino's paths have no "any depth"
// wildcard, hence one path per depth; `scrub` cuts anything deeper, so no field escapes the paths.
const withPascalCase = (keys: string[]) =>
  new Set(keys.flatMap((k) => [k, k[0]?.toUpperCase() + k.slice(1)]));
const EMAIL_KEYS = withPascalCase(['email', 'mail', 'emailAddress', 'userPrincipalName', 'upn']);
const PHONE_KEYS = withPascalCase(['phone', 'phoneNumber', 'mobile', 'mobilePhone', 'telephone']);
const NAME_KEYS = withPascalCase([
  'name',
  'firstName',
  'lastName',
  'fullName',
  'displayName',
  'givenName',
  'surname',
]);
/** Free text a customer wrote or sent: only its length is logged. */
const TEXT_KEYS = withPascalCase(['raw', 'body', 'description', 'notes']);
const PERSON_KEYS = withPascalCase(['customer', 'userDetails']);
const MAX_DEPTH = 4;
const PREFIXES = Array.from({ length: MAX_DEPTH }, (_, depth) => '*.'.repeat(depth));
const REDACTED_PATHS = [
  ...PREFIXES.flatMap((prefix) =>
    [...EMAIL_KEYS, ...PHONE_KEYS, ...NAME_KEYS, ...TEXT_KEYS].map((key) => prefix + key),
  ),
  ...PREFIXES.slice(0, -1).flatMap((prefix) => [...PERSON_KEYS].map((key) => `${prefix}${key}.*`)),
];

function censor(value: unknown, path: string[]): unknown {
  if (value === undefined || value === null || value === '') return value;
  const key = String(path.at(-1));
  if (TEXT_KEYS.has(key) && typeof value === 'string') return `[${value.length} characters]`;
  if (typeof value !== 'string' && typeof value !== 'number') return '***';
  if (EMAIL_KEYS.has(key)) return redactEmail(String(value));
  if (PHONE_KEYS.has(key)) return redactPhone(String(value));
  return redactName(String(value)); // a name, or anything else about a customer
}

// A local part is at most 64 characters; the bound also keeps the scan linear on long text. Teams
// conversation ids (`19:…@thread.tacv2`, `19:…@unq.gbl.spaces`) look alike and are no one's address.
const EMAIL_IN_TEXT =
  /[\w.!#$%&'*+/=?^`{|}~-]{1,64}@(?!thread\.|unq\.gbl\.spaces\b)[a-z\d-]+(?:\.[a-z\d-]+)+/gi;

function maskEmails(text: string): string {
  return text.includes('@') ? text.replace(EMAIL_IN_TEXT, redactEmail) : text;
}

function scrubFields(fields: Record<string, unknown>): Record<string, unknown> {
  const clean = scrub(fields, 0);
  return typeof clean === 'object' && clean !== null ? (clean as Record<string, unknown>) : { fields: clean };
}

/** Plain data, e-mails masked in every string and key, nothing deeper than MAX_DEPTH. */
function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskEmails(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return maskEmails(describeError(value));
  // A Date, say. `depth + 1` so that a toJSON returning an object (or itself) still ends.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' && depth <= MAX_DEPTH) {
    return scrub((value as { toJSON(): unknown }).toJSON(), depth + 1);
  }
  if (depth >= MAX_DEPTH) return '[nested too deep to log]';
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [maskEmails(key), scrub(item, depth + 1)]),
  );
}
