// A counting proxy in front of Azurite for `npm run bench -- azure`: every request an app instance
// makes to Azure Tables passes here and is counted, by table and kind, so the bench can say how
// many transactions a lead, a claim, a summary and an idle hour cost. Azure bills a transaction
// per REST request (a query page of up to 1,000 entities, an entity-group transaction), so the
// requests are the figure; the operations inside each transaction are counted beside them.
import { createServer, request, type Server } from 'node:http';

/** Requests by `<kind> <table>` (e.g. `query leads`, `batch leads`, `read settings`). */
export type Tally = Record<string, number>;

export interface Counts {
  requests: number;
  /** Entity operations inside entity-group transactions (each transaction is one request). */
  batchOperations: number;
  byKind: Tally;
  /** Queries by table and filter, its values left out (`leads PartitionKey eq ? and open eq true`). */
  byQuery: Tally;
}

export interface CountingProxy {
  /** Azurite's connection string, pointed at this proxy. */
  connectionString: string;
  /** What passed so far (a copy). */
  counts(): Counts;
  close(): Promise<void>;
}

export async function startCountingProxy(
  target: { port: number; connectionString: string },
  prefix: string,
): Promise<CountingProxy> {
  let requests = 0;
  let batchOperations = 0;
  const byKind: Tally = {};
  const byQuery: Tally = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests++;
      const { kind, operations } = classify(req.method ?? 'GET', req.url ?? '/', body, prefix);
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      if (kind.startsWith('query ')) {
        const query = `${kind.slice(6)} ${filterOf(req.url ?? '')}`;
        byQuery[query] = (byQuery[query] ?? 0) + 1;
      }
      batchOperations += operations;
      const upstream = request(
        { host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    connectionString: target.connectionString.replace(`127.0.0.1:${target.port}`, `127.0.0.1:${port}`),
    counts: () => ({ requests, batchOperations, byKind: { ...byKind }, byQuery: { ...byQuery } }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What `after` has that `before` had not: the requests of one stretch of the run. */
export function since(after: Counts, before: Counts): Counts {
  const minus = (a: Tally, b: Tally) => {
    const d: Tally = {};
    for (const [key, n] of Object.entries(a)) if (n > (b[key] ?? 0)) d[key] = n - (b[key] ?? 0);
    return d;
  };
  return {
    requests: after.requests - before.requests,
    batchOperations: after.batchOperations - before.batchOperations,
    byKind: minus(after.byKind, before.byKind),
    byQuery: minus(after.byQuery, before.byQuery),
  };
}

/** The sum of several proxies' counts (one proxy per instance). */
export function sum(...all: Counts[]): Counts {
  const add = (pick: (c: Counts) => Tally) => {
    const total: Tally = {};
    for (const c of all) for (const [key, n] of Object.entries(pick(c))) total[key] = (total[key] ?? 0) + n;
    return total;
  };
  return {
    requests: all.reduce((s, c) => s + c.requests, 0),
    batchOperations: all.reduce((s, c) => s + c.batchOperations, 0),
    byKind: add((c) => c.byKind),
    byQuery: add((c) => c.byQuery),
  };
}

/** A query's $filter with its values left out, so queries that differ only in values count as one. */
function filterOf(url: string): string {
  const filter = new URL(url, 'http://x').searchParams.get('$filter') ?? '(no filter)';
  return filter.replace(/datetime'[^']*'/g, '?').replace(/'(?:[^']|'')*'/g, '?');
}

/** `query leads 12, batch leads 3, …`, most first. */
export function describeKinds(tally: Tally, scale = 1): string {
  return Object.entries(tally)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ${Math.round(n * scale * 10) / 10}`)
    .join(', ');
}

/**
 * `/devstoreaccount1/<table>(PartitionKey='…',RowKey='…')` is a point read or write,
 * `/devstoreaccount1/<table>()?$filter=…` a query, `/devstoreaccount1/$batch` an entity-group
 * transaction (its table named inside the body), `/devstoreaccount1/Tables` a table operation.
 */
function classify(
  method: string,
  url: string,
  body: Buffer,
  prefix: string,
): { kind: string; operations: number } {
  const path = decodeURIComponent(url.split('?')[0] ?? '');
  const segment = path.split('/')[2] ?? '';
  const name = (table: string) => (table.startsWith(prefix) ? table.slice(prefix.length) : table);
  if (segment === '$batch') {
    const text = body.toString('latin1');
    const lines = [...text.matchAll(/^(?:POST|PUT|PATCH|MERGE|DELETE|GET) \S+ HTTP\/1\.1/gm)];
    const table = /^(?:POST|PUT|PATCH|MERGE|DELETE|GET) https?:\/\/[^/]+\/[^/]+\/([A-Za-z0-9]+)/m.exec(
      text,
    )?.[1];
    return { kind: `batch ${name(table ?? '?')}`, operations: lines.length };
  }
  if (segment.startsWith('Tables')) return { kind: `${method.toLowerCase()} Tables`, operations: 0 };
  const table = name(/^[A-Za-z0-9]+/.exec(segment)?.[0] ?? '?');
  const point = /\(PartitionKey=/.test(segment);
  const kind =
    method === 'GET'
      ? point
        ? 'read'
        : 'query'
      : method === 'POST'
        ? 'insert'
        : method === 'PUT'
          ? 'replace'
          : method === 'DELETE'
            ? 'delete'
            : 'merge';
  return { kind: `${kind} ${table}`, operations: 0 };
}
