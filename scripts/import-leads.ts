// `npm run import-leads -- <file.csv> [--url http://host:port]`
// Sends a Partner Center lead export (Referrals → Leads → Marketplace leads → Download) to the
// running server's POST /api/leads/import and prints its report. It never opens the store: the
// server is the only writer of its data.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { url: { type: 'string' } },
  allowPositionals: true,
});
const [file] = positionals;
if (!file) {
  console.error('Usage: npm run import-leads -- <partner-center-export.csv> [--url http://localhost:3978]');
  process.exit(2);
}
const port = process.env.PORT || '3978';
const base = values.url ?? `http://localhost:${port}`;
// The key goes with the file: never in clear over a network, never to a host we did not name.
const target = checkedTarget(base);
const secret = process.env.LEADS_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set LEADS_WEBHOOK_SECRET to the server’s webhook key (the import uses the same key).');
  process.exit(2);
}

interface Report {
  rows: number;
  new: number;
  known: number;
  duplicates: number;
  repeats: number;
  tests: number;
  refused: Array<{ row: number; reason: string }>;
  ignoredColumns: string[];
}

let body: Buffer;
try {
  body = readFileSync(file);
} catch (error) {
  console.error(`Cannot read ${file}: ${(error as Error).message}`);
  process.exit(2);
}
let response: Response;
try {
  response = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', 'x-leads-key': secret },
    body,
    redirect: 'manual',
  });
} catch (error) {
  console.error(
    `Cannot reach the server at ${base} (${(error as Error).message}). Is it running (npm start)?`,
  );
  process.exit(1);
}
if (response.status >= 300 && response.status < 400) {
  const to = response.headers.get('location') ?? 'another address';
  console.error(
    `${base} answered ${response.status}, a redirect to ${to}. Not followed (the key would go along): ` +
      'give the server’s own address with --url.',
  );
  process.exit(1);
}
const answer = (await response.json().catch(() => ({}))) as Report & { error?: { message: string } };
if (!response.ok) {
  console.error(`${response.status}: ${answer.error?.message ?? 'the server refused the file'}`);
  process.exit(1);
}
const lines = [
  `Rows read:            ${answer.rows}`,
  `New leads:            ${answer.new}`,
  `Already known:        ${answer.known}`,
  `Repeated in the file: ${answer.duplicates}`,
  `Repeat buyers:        ${answer.repeats}`,
  `Test leads skipped:   ${answer.tests}`,
  `Refused:              ${answer.refused.length}`,
  ...answer.refused.map((r) => `  row ${r.row}: ${r.reason}`),
  ...(answer.ignoredColumns.length ? [`Columns not used: ${answer.ignoredColumns.join(', ')}`] : []),
];
console.log(lines.join('\n'));

/** The import URL, if `base` is https, or http on this machine; otherwise says why not and exits. */
function checkedTarget(base: string): URL {
  let url: URL;
  try {
    url = new URL('/api/leads/import', base);
  } catch {
    console.error(
      `--url ${base} is not a URL; give one like https://leads.contoso.com or http://localhost:3978.`,
    );
    process.exit(2);
  }
  const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url;
  console.error(
    `Refusing ${url.protocol}//${url.host}: the key would travel in clear. Use https, or http only to localhost.`,
  );
  process.exit(2);
}
