// `npm run bench -- curve`: the store scenario at 100,000, 300,000 and 1,000,000 leads (or the
// sizes in BENCH_CURVE, comma-separated), each in a process of its own as `npm run bench -- store`
// with BENCH_LEADS set, then one table of how each figure grows with the history: the cost curve.
// BENCH_CLOSED_HISTORY passes through. About 1, 2 and 5 minutes on 2 cores.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

type Results = Record<string, Record<string, unknown> | undefined>;

/** Row label, then where the figure is in a store run's results. */
const FIGURES: Array<[string, string, string]> = [
  ['first start, ms', 'coldStart', 'ready (spawn to listening), ms'],
  ['RSS at first start, MB', 'coldStart', 'RSS when ready, MB'],
  ['second start, ms', 'restart', 'ready (spawn to listening), ms'],
  ['RSS at second start, MB', 'restart', 'RSS when ready, MB'],
  ['intake, leads/s', 'intake', 'leads/s'],
  ['intake p99 to 202, ms', 'intake', 'p99 to 202, ms'],
  ['intake after the second start: leads/s', 'restart', 'intake: leads/s'],
  ['claim p99 (card burst), ms', 'claim', 'p99, ms'],
  ['summary month max, ms', 'summaryMonth', 'max, ms'],
  ['lead <id> p50 / max, ms', 'oldLead', 'lead <id> p50 / max, ms'],
  ['find p50 / max, ms', 'oldLead', 'find p50 / max, ms'],
  ['heap in use at ready, MB', 'memory', 'when ready: RSS, heap used, MB'],
];

const sizes = (process.env.BENCH_CURVE ?? '100000,300000,1000000').split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 1000))
  throw new Error(
    `BENCH_CURVE must be whole numbers of leads, at least 1000 each: ${process.env.BENCH_CURVE}`,
  );

const runs: Array<{ size: number; results: Results; seconds: number }> = [];
for (const size of sizes) {
  process.stdout.write(`\n── ${size.toLocaleString('en')} leads ─────────────────────────────\n`);
  const started = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'store'], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_LEADS: String(size) },
  });
  const results = JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as Results;
  runs.push({ size, results, seconds: (performance.now() - started) / 1000 });
}

const cell = (results: Results, [, scenario, key]: [string, string, string]) => {
  const value = results[scenario]?.[key];
  // "RSS, heap used": the heap alone.
  return key.startsWith('when ready: RSS')
    ? (String(value ?? '—').split(', ')[1] ?? '—')
    : String(value ?? '—');
};
const header = ['figure', ...runs.map((r) => `${r.size.toLocaleString('en')} leads`)];
const rows = FIGURES.map((figure) => [figure[0], ...runs.map((r) => cell(r.results, figure))]);
rows.push([
  'month files, MB',
  ...runs.map((r) => /(\d+) MB in month files/.exec(String(r.results.coldStart?.data))?.[1] ?? '—'),
]);
rows.push(['this run took, s', ...runs.map((r) => String(Math.round(r.seconds)))]);
const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
const table = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
const closed =
  process.env.BENCH_CLOSED_HISTORY === '1' ? ', leads older than last month closed' : ', the seed as is';
const machine = runs[0]?.results.machine as { cpus?: number; node?: string } | undefined;
process.stdout.write(
  `\ncurve\n  command: ${process.env.BENCH_CLOSED_HISTORY === '1' ? 'BENCH_CLOSED_HISTORY=1 ' : ''}npm run bench -- curve\n` +
    `  data:    ${sizes.map((n) => n.toLocaleString('en')).join(', ')} leads, a tenth of them this month${closed}; ` +
    `${machine?.cpus} cores, Node ${machine?.node}\n\n${table}\n`,
);
writeFileSync(
  'bench/results/curve.json',
  `${JSON.stringify({ at: new Date().toISOString(), machine, closed: closed.slice(2), sizes, rows: [header, ...rows] }, null, 2)}\n`,
);
process.stdout.write('\nsaved bench/results/curve.json\n');
