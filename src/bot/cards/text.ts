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

// A token longer than LONG_WORD (a URL, a pasted id) would be one clipped line: Teams does not
// break inside words. A zero-width space every WORD_CHUNK characters lets it wrap, and keeps every
// character visible. Counted in grapheme clusters, so no emoji or accent is split.
const LONG_WORD = 40;
const WORD_CHUNK = 30;
const ZERO_WIDTH_SPACE = '\u200B';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Long unbroken words get break opportunities; everything else is returned as it was. */
export function wrapLongWords(text: string): string {
  return text.replace(/\S+/g, (word) => {
    if (word.length <= LONG_WORD) return word;
    const parts = [...graphemes.segment(word)].map((s) => s.segment);
    if (parts.length <= LONG_WORD) return word;
    const chunks: string[] = [];
    for (let i = 0; i < parts.length; i += WORD_CHUNK) chunks.push(parts.slice(i, i + WORD_CHUNK).join(''));
    return chunks.join(ZERO_WIDTH_SPACE);
  });
}

/** A RichTextBlock holding one literal run of text. */
export function literalText(value: string, maxLength: number, options: RunOptions = {}): CardElement {
  const { url, ...style } = options;
  const text = wrapLongWords(plainText(value, maxLength));
  const run: Record<string, unknown> = { type: 'TextRun', text, ...style };
  if (url) run.selectAction = { type: 'Action.OpenUrl', url };
  return { type: 'RichTextBlock', inlines: [run] };
}

const EMAIL =
  /^[^\s@"'<>()[\]\\,;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** A mailto: link only for a plain, valid address; otherwise no link at all. */
export function mailtoUrl(email: string): string | undefined {
  const value = email.trim();
  return value.length <= 254 && EMAIL.test(value)
    ? `mailto:${encodeURIComponent(value).replace('%40', '@')}`
    : undefined;
}
