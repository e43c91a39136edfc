// Long text in an entity, as UTF-8 bytes in binary properties (`<p>0`, `<p>1`, …, count in
// `<p>n`). Binary because a property holds at most 64 KiB, and text counts 2 bytes a char while
// UTF-8 counts 1 for the ASCII that payloads mostly are; and because it travels as base64, plain
// ASCII, which Azurite needs: it decodes a large request body in pieces and breaks a multi-byte
// character cut between two pieces.
const CHUNK_BYTES = 60_000;

/** Returns the bytes written, for the entity's 1 MiB budget. */
export function putText(row: Record<string, unknown>, prefix: string, text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  let count = 0;
  for (let start = 0; start < bytes.length || count === 0; start += CHUNK_BYTES) {
    row[`${prefix}${count++}`] = new Uint8Array(bytes.subarray(start, start + CHUNK_BYTES));
  }
  row[`${prefix}n`] = count;
  return bytes.length;
}

export function getText(row: Record<string, unknown>, prefix: string): string {
  const count = Number(row[`${prefix}n`] ?? 0);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = row[`${prefix}${i}`];
    if (chunk instanceof Uint8Array) chunks.push(chunk);
    else if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, 'utf8'));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A short text column, kept ASCII on the wire (see above): JSON with `\u` escapes. */
export function asciiText(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function fromAsciiText(value: unknown): string {
  try {
    return typeof value === 'string' ? (JSON.parse(value) as string) : '';
  } catch {
    return '';
  }
}
