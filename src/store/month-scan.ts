// Finding a word in a closed month without parsing the month whole: `find` over all history reads
// the month files, but parses only the leads whose text holds the word.
import { readFile } from 'node:fs/promises';

/** How DurableJsonFile (indent 1) lays out each lead of a month file: `\n  {` … `\n  }`. */
const START = '\n  {';
const END = '\n  }';
/** The only letters whose lower case holds an ASCII letter that their bytes do not: İ and the Kelvin sign. */
const UNICODE_LOWER_TO_ASCII = [Buffer.from('\u0130'), Buffer.from('\u212a')];

/** Whether a (lower-case) word can be looked for in a month file's bytes: ASCII, nothing JSON escapes. */
export function scannable(word: string): boolean {
  return /^[\x20-\x7e]+$/.test(word) && !/["\\]/.test(word);
}

/**
 * The leads of a month file whose text holds every one of `words` (lower case, scannable) in any
 * letter case, anywhere in the lead: a superset of the leads whose searched fields hold them.
 * Undefined when the file is not laid out as this store writes it (edited by hand, say) or a lead
 * could not be cut out whole: the caller then parses the month whole.
 */
export async function scanMonthFile(
  path: string,
  words: string[],
): Promise<{ changeLog: number; leads: unknown[] } | undefined> {
  const bytes = await readFile(path);
  if (UNICODE_LOWER_TO_ASCII.some((letter) => bytes.includes(letter))) return undefined;
  // Latin-1: one character per byte, so positions are byte offsets. A case-blind regular
  // expression (not Unicode) matches an ASCII letter only to itself in either case, so an ASCII
  // word is found exactly where its bytes are, in any letter case.
  const text = bytes.toString('latin1');
  const header = /^\{\n "changeLog": (\d+),\n/.exec(text);
  if (!header) return undefined;
  const patterns = words.map((word) => new RegExp(word.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'i'));
  const anchor = rarest(text, patterns);
  const leads: unknown[] = [];
  for (let match = anchor.exec(text); match; match = anchor.exec(text)) {
    const start = text.lastIndexOf(START, match.index);
    const end = text.indexOf(END, match.index);
    if (start < header[0].length || end < 0) return undefined;
    const chunk = text.slice(start, end);
    if (patterns.every((pattern) => pattern.test(chunk))) {
      const lead = parseLead(bytes.toString('utf8', start + 3, end + END.length));
      if (!lead) return undefined;
      leads.push(lead);
    }
    anchor.lastIndex = end + END.length;
  }
  return { changeLog: Number(header[1]), leads };
}

/** The pattern found least often in `text` (counting stops once it passes the rarest so far), global. */
function rarest(text: string, patterns: RegExp[]): RegExp {
  let best = patterns[0] as RegExp;
  let fewest = Number.POSITIVE_INFINITY;
  for (const pattern of patterns) {
    const global = new RegExp(pattern.source, 'gi');
    let count = 0;
    while (count < fewest && global.exec(text)) count++;
    if (count < fewest) {
      fewest = count;
      best = pattern;
    }
  }
  return new RegExp(best.source, 'gi');
}

function parseLead(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}
