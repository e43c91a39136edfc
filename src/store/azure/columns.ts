// Long text in an entity: a string property holds at most 64 KiB (32K UTF-16 chars), so text is
// split over `<p>0`, `<p>1`, … with the count in `<p>n`.
const CHUNK_CHARS = 30_000;

export function putText(row: Record<string, unknown>, prefix: string, text: string): void {
  const chunks = split(text);
  chunks.forEach((chunk, i) => {
    row[`${prefix}${i}`] = chunk;
  });
  row[`${prefix}n`] = chunks.length;
}

export function getText(row: Record<string, unknown>, prefix: string): string {
  const count = Number(row[`${prefix}n`] ?? 0);
  let text = '';
  for (let i = 0; i < count; i++) text += String(row[`${prefix}${i}`] ?? '');
  return text;
}

/** Chunks of at most CHUNK_CHARS, never cutting a surrogate pair in two. */
function split(text: string): string[] {
  const chunks: string[] = [];
  for (let start = 0; start < text.length || chunks.length === 0; ) {
    let end = Math.min(start + CHUNK_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}
