import type { IncomingMessage, ServerResponse } from 'node:http';

const CONTINUE = Symbol('send 100 Continue');

/**
 * `Expect: 100-continue`: restify would answer `100 Continue` at once (the server is made with
 * `noWriteContinue`), inviting the body before anyone checked who sends it. Here the 100 goes out
 * only when a route starts reading the body, after its key or token passed; a refused client is
 * answered (401, 415…) without ever being asked for its bytes.
 */
export function continueWhenRead(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers.expect?.toLowerCase() !== '100-continue') return;
  (req as IncomingMessage & { [CONTINUE]?: () => void })[CONTINUE] = () => {
    if (!res.headersSent) res.writeContinue();
  };
}

/** The body is about to be read: a client waiting for `100 Continue` gets it now. */
function invite(req: IncomingMessage): void {
  const send = (req as IncomingMessage & { [CONTINUE]?: () => void })[CONTINUE];
  if (!send) return;
  delete (req as IncomingMessage & { [CONTINUE]?: () => void })[CONTINUE];
  send();
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Body is larger than ${limit} bytes.`);
  }
}

/** Reads the raw body as UTF-8, refusing it as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain, so the connection can still carry our answer
    return Promise.reject(new BodyTooLargeError(limit));
  }
  invite(req);
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
      if (!tooLarge) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/**
 * The body's chunks as they arrive, for a reader that may stop early (then `req.resume()` drops
 * the rest unread). Refuses a declared length over `limit` at once (BodyTooLargeError, which
 * readKeyedBody turns into a `413`), and throws it mid-way once the bytes pass `limit`.
 */
export async function streamBody(req: IncomingMessage, limit: number): Promise<AsyncIterable<Buffer>> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyTooLargeError(limit);
  }
  invite(req);
  return limitBytes(req, limit);
}

async function* limitBytes(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  // Stopping early must not destroy the request: the answer still goes out on its socket.
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    yield chunk;
  }
}
