// An HTTP proxy on a free loopback port in front of Azurite that can answer for it the way Azure
// does when it struggles: a 503 Server Busy, a 500, no answer at all (a timeout), or an answer
// lost after Azurite did the work (the connection cut on the way back).
import { createServer, request, type Server } from 'node:http';

export type Fault = { status: 500 | 503 } | { hang: true } | { loseAnswer: true } | { pass: true };

export interface FaultyProxy {
  /** Azurite's connection string, pointed at the proxy. */
  connectionString: string;
  /** The next `count` requests (after those already queued) get `fault` instead of Azurite's answer. */
  fail(count: number, fault: Fault): void;
  /** Every request gets `fault` until called again with undefined. */
  failAll(fault: Fault | undefined): void;
  /** Requests that reached Azurite, and those answered with a fault. */
  readonly passed: number;
  readonly faulted: number;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: {
  port: number;
  connectionString: string;
}): Promise<FaultyProxy> {
  const faults: Fault[] = [];
  const hanging = new Set<() => void>();
  let always: Fault | undefined;
  let passed = 0;
  let faulted = 0;
  const server: Server = createServer((req, res) => {
    const fault = always ?? faults.shift();
    const loseAnswer = fault !== undefined && 'loseAnswer' in fault;
    if (fault && !('pass' in fault) && !loseAnswer) {
      faulted++;
      req.resume();
      if ('hang' in fault) {
        hanging.add(() => res.destroy());
        return;
      }
      res.writeHead((fault as { status: number }).status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ 'odata.error': { code: 'ServerBusy', message: { value: 'The server is busy.' } } }),
      );
      return;
    }
    if (loseAnswer) faulted++;
    else passed++;
    const upstream = request(
      { host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        if (loseAnswer) {
          answer.resume();
          answer.on('end', () => res.destroy()); // Azurite did it; the client never hears
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    connectionString: target.connectionString.replace(`127.0.0.1:${target.port}`, `127.0.0.1:${port}`),
    fail(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    failAll(fault) {
      always = fault;
    },
    get passed() {
      return passed;
    },
    get faulted() {
      return faulted;
    },
    async close() {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
