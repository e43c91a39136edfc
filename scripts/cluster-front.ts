// The round-robin front of `npm run cluster`: one port before the instances. A request goes to the
// next instance; when that one refuses the connection (killed, restarting), it never saw the request,
// so the same request goes to the next one instead of failing (a lead sent just after `kill -9` is
// taken, not lost to a 502). Any other failure is answered 502: the instance may have acted on it.
import { createServer, type IncomingMessage, request, type Server } from 'node:http';

/** Bodies are read whole to be sent again: the instances' own limits are far below this. */
const MAX_BODY = 16 * 1024 * 1024;

export interface Front {
  server: Server;
  url: string;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function startFront(port: number, targets: URL[], host = '127.0.0.1'): Promise<Front> {
  let next = 0;
  /** An instance that refused a connection is tried last for a while (killed, restarting). */
  const downUntil = new Map<URL, number>();
  /** Every instance once, those not known to be down first, starting from the next in turn. */
  const order = (): URL[] => {
    const start = next++;
    const all = targets.map((_, i) => targets[(start + i) % targets.length] as URL);
    const up = (target: URL) => (downUntil.get(target) ?? 0) <= Date.now();
    return [...all.filter(up), ...all.filter((target) => !up(target))];
  };
  const server = createServer(async (req, res) => {
    const body = await readBody(req).catch(() => undefined);
    if (!body) {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'too_large', message: 'The cluster front reads 16 MB at most.' } }),
      );
      return;
    }
    const refused: string[] = [];
    for (const target of order()) {
      const outcome = await forward(req, body, target, res);
      if (outcome === 'answered') return;
      if (outcome instanceof Error) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { code: 'bad_gateway', message: `instance ${target.port}: ${outcome.message}` },
          }),
        );
        return;
      }
      downUntil.set(target, Date.now() + 5_000);
      refused.push(target.port);
    }
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: {
          code: 'bad_gateway',
          message: `every instance refused the connection (${refused.join(', ')})`,
        },
      }),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        server,
        url: `http://${host}:${typeof address === 'object' && address ? address.port : port}`,
      });
    });
  });
}

/** `refused`: the instance took no part, try another. An Error: it failed after it may have acted. */
function forward(
  req: IncomingMessage,
  body: Buffer,
  target: URL,
  res: import('node:http').ServerResponse,
): Promise<'answered' | 'refused' | Error> {
  return new Promise((resolve) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-cluster-instance': target.port });
        answer.pipe(res);
        answer.on('end', () => resolve('answered'));
        answer.on('error', () => {
          res.destroy();
          resolve('answered');
        });
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) {
        res.destroy();
        resolve('answered');
      } else resolve(error.code === 'ECONNREFUSED' ? 'refused' : error);
    });
    upstream.end(body);
  });
}
