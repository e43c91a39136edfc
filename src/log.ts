// A small structured logger. Personal data never goes in whole: callers pass e-mails and phone
// numbers through redactEmail / redactPhone.

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Level = 'info' | 'warn' | 'error';

export function createConsoleLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const log = (level: Level, message: string, fields?: Record<string, unknown>) => {
    const extra = fields ? ` ${JSON.stringify(fields)}` : '';
    write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}\n`);
  };
  return {
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
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

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
