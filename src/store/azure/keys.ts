// Keys for Azure Table storage: PartitionKey and RowKey may not hold / \ # ? nor control
// characters and are at most 1 KiB, while e-mails, channel ids and fingerprints come from outside.
import { createHash } from 'node:crypto';
import { ValidationError } from '../../errors.js';

const MAX_KEY_CHARS = 400;

/** Any text as a valid key: forbidden characters (and `~`, `%`, `'`, `|`: separators) as `~xx`; a long one hashed. */
export function toKey(text: string): string {
  const escaped = text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: Azure refuses control characters in keys, so they are escaped
    /[/\\#?~%'|\u0000-\u001f\u007f-\u009f]/g,
    (c) => `~${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  if (escaped.length <= MAX_KEY_CHARS) return escaped;
  // Stays unique (the hash) and still sorts and reads by its start.
  return `${escaped.slice(0, 100)}~~${createHash('sha256').update(text).digest('hex')}`;
}

/** `YYYY-MM` of an ISO time: the lead's partition. */
export function monthOf(receivedAt: string): string {
  const parsed = Date.parse(receivedAt);
  return Number.isNaN(parsed) ? receivedAt.slice(0, 7) : new Date(parsed).toISOString().slice(0, 7);
}

/** Every month from `from`'s to the one before `to` (exclusive end), as `YYYY-MM`. */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  if (to <= from) return months;
  const last = new Date(to.getTime() - 1);
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  while (year < last.getUTCFullYear() || (year === last.getUTCFullYear() && month <= last.getUTCMonth())) {
    months.push(`${year}-${String(month + 1).padStart(2, '0')}`);
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return months;
}

/** Table names: alphanumeric, starting with a letter, 3 to 63 characters. */
/**
 * The one rule for AZURE_TABLE_PREFIX (config checks it at start, the store again when opened):
 * letters and digits, starting with a letter, at most 40, so that `<prefix>settings` stays well
 * inside Azure's 63 characters for a table name.
 */
export function tablePrefixProblem(prefix: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(prefix)
    ? undefined
    : `must be letters and digits only, starting with a letter, at most 40 characters, got "${prefix}".`;
}

export function tableNames(prefix: string) {
  const problem = tablePrefixProblem(prefix);
  if (problem) throw new ValidationError(`AZURE_TABLE_PREFIX ${problem}`);
  return {
    leads: `${prefix}leads`,
    index: `${prefix}index`,
    settings: `${prefix}settings`,
    sends: `${prefix}sends`,
  };
}
