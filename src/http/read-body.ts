import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Body is larger than ${limit} bytes.`);
  }
}

/** Reads the raw body as UTF-8, refusing it as soon as it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return Buffer.concat(await readBodyChunks(req, limit)).toString('utf8');
}

/** The raw body as it came, in chunks (a large one is never copied whole), within `limit` bytes. */
export function readBodyChunks(req: IncomingMessage, limit: number): Promise<Buffer[]> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain, so the connection can still carry our answer
    return Promise.reject(new BodyTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(chunks);
    });
    req.on('error', reject);
  });
}
