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
  response = await fetch(new URL('/api/leads/import', base), {
    method: 'POST',
    headers: { 'content-type': 'text/csv', 'x-leads-key': secret },
    body,
  });
} catch (error) {
  console.error(
    `Cannot reach the server at ${base} (${(error as Error).message}). Is it running (npm start)?`,
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
