// Reads CSV records a slice at a time, handing the event loop back between slices, and stops as
// soon as the file passes a limit: an import bomb costs the server a few slices, not the whole file.
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Info, type Options, Parser } from 'csv-parse';

/** Small enough that one slice parses in a few milliseconds, even of a line of commas. */
const SLICE_BYTES = 4 * 1024;

export interface CsvLimits {
  /** Records read at most (the header counts); one more and reading stops. */
  maxRecords: number;
  /** A physical line (between two line breaks) longer than this stops reading. */
  maxLineBytes: number;
}

export interface CsvRecord {
  record: string[];
  info: Info;
}

export type CsvReading =
  | { kind: 'records'; records: CsvRecord[] }
  | { kind: 'too_many_records' }
  | { kind: 'line_too_long'; line: number };

/**
 * Parses `data` (the body's chunks as they come, never joined: a copy of 10 MB stalls the loop;
 * from the socket itself, so a bomb is refused before the rest of it is read) with `options`
 * (records come with their `info`), within `limits`. Stops reading `data` at the first limit.
 */
export async function readCsvRecords(
  data: Iterable<Buffer> | AsyncIterable<Buffer>,
  options: Options,
  limits: CsvLimits,
): Promise<CsvReading> {
  // `to` makes the parser itself stop one record past the limit, whatever is left of the slice.
  const parser = new Parser({ ...options, info: true, to: limits.maxRecords + 1 });
  const records: CsvRecord[] = [];
  let failure: Error | undefined;
  parser.on('data', (record: CsvRecord) => records.push(record));
  parser.on('error', (error: Error) => {
    failure = error;
  });
  const lines = new LineMeter(limits.maxLineBytes);
  try {
    for await (const chunk of data)
      for (const slice of slices(chunk)) {
        const longLine = lines.measure(slice);
        if (longLine !== undefined) return { kind: 'line_too_long', line: longLine };
        parser.write(slice);
        await nextTurn(); // the records of this slice are delivered; other requests get their turn
        if (failure) throw failure;
        if (records.length > limits.maxRecords) return { kind: 'too_many_records' };
      }
    parser.end();
    await finished(parser, { readable: true, writable: false }).catch((error: Error) => {
      failure ??= error;
    });
    if (failure) throw failure;
    if (records.length > limits.maxRecords) return { kind: 'too_many_records' };
    return { kind: 'records', records };
  } finally {
    parser.destroy();
  }
}

/** The chunk cut to at most SLICE_BYTES each (views, not copies). */
function* slices(chunk: Buffer): Generator<Buffer> {
  for (let start = 0; start < chunk.length; start += SLICE_BYTES)
    yield chunk.subarray(start, start + SLICE_BYTES);
}

/** Counts physical lines and the length of the current one across slices. */
class LineMeter {
  private line = 1;
  private length = 0;
  private afterCarriageReturn = false;
  constructor(private readonly max: number) {}

  /** The number of the first line in `slice` that passes the limit, if one does. */
  measure(slice: Buffer): number | undefined {
    for (let i = 0; i < slice.length; i++) {
      const byte = slice[i];
      if (byte === 0x0a || byte === 0x0d) {
        // \r\n is one break: the \n after a \r (even in the next slice) starts no new line.
        if (!(byte === 0x0a && this.afterCarriageReturn)) this.line++;
        this.length = 0;
      } else if (++this.length > this.max) return this.line;
      this.afterCarriageReturn = byte === 0x0d;
    }
    return undefined;
  }
}
