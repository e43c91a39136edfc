import type { CardElement } from './adaptive-card.js';

// Untrusted text (anything a customer typed) is only ever shown through these helpers.
// Teams renders markdown in TextBlock and FactSet, but not in a RichTextBlock's TextRun:
// so lead text goes into TextRuns, where `[x](https://…)`, `**` or `<b>` stay literal.

// Zero-width, bidi overrides/isolates, BOM, and control characters other than newline and tab.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Invisible characters removed, whitespace tidied, and cut to `maxLength` with an ellipsis. */
export function plainText(value: string, maxLength: number): string {
  const clean = value
    .replace(INVISIBLE, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const chars = [...clean];
  return chars.length > maxLength
    ? `${chars
        .slice(0, maxLength - 1)
        .join('')
        .trimEnd()}…`
    : clean;
}

export interface RunOptions {
  size?: 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
  weight?: 'Default' | 'Bolder' | 'Lighter';
  isSubtle?: boolean;
  color?: 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';
  url?: string;
}

/** A RichTextBlock holding one literal run of text. */
export function literalText(value: string, maxLength: number, options: RunOptions = {}): CardElement {
  const { url, ...style } = options;
  const run: Record<string, unknown> = { type: 'TextRun', text: plainText(value, maxLength), ...style };
  if (url) run.selectAction = { type: 'Action.OpenUrl', url };
  return { type: 'RichTextBlock', inlines: [run] };
}

const EMAIL =
  /^[^\s@"'<>()[\]\\,;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const PHONE = /^\+?[0-9 ().-]{4,30}$/;

/** A mailto: link only for a plain, valid address; otherwise no link at all. */
export function mailtoUrl(email: string): string | undefined {
  const value = email.trim();
  return value.length <= 254 && EMAIL.test(value)
    ? `mailto:${encodeURIComponent(value).replace('%40', '@')}`
    : undefined;
}

/** A tel: link only for something that looks like a phone number. */
export function telUrl(phone: string): string | undefined {
  const value = phone.trim();
  if (!PHONE.test(value) || value.replace(/\D/g, '').length < 4) return undefined;
  return `tel:${value.replace(/[^\d+]/g, '')}`;
}
