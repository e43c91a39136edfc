// `npm run bench -- import`: a Partner Center export of 5,000 rows (the most one download holds)
// posted to POST /api/leads/import of the app in its own process; the time to the report, for a
// file of new leads and for the same file again (all known).
import type { ImportReport } from '../src/leads/partner-center-import.js';

export const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 5000);

const HEADER =
  'Referral ID,Engagement ID,LeadCreationDateTime,Lead type,Lead source,Call to action,Offer ID,Offer name,' +
  'Customer Name,Customer Country,Customer Contact First Name,Customer Contact Last Name,' +
  'Customer Contact Email Address,Customer Contact Phone number,Customer Contact Title,Notes,' +
  'Email validity,Phone validity,Lead quality,Status,Substatus,Marketplace Purchase Intent';

/** An export as Partner Center's constructed header has it (partner-center-export.md §1.6), `rows` leads over 5 months. */
export function makeExport(rows: number, now = Date.now()): string {
  const lines = [HEADER];
  const ctas = ['Contact me', 'Get it now', 'Free trial', 'Test drive'];
  for (let i = 0; i < rows; i++) {
    const created = new Date(now - ((i * 7_919_000) % (150 * 86_400_000))).toISOString();
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const note = i % 3 === 0 ? `"Pilot for ${i % 500} users, ""soon"". Call after 2pm."` : '';
    lines.push(
      [
        id,
        '',
        created,
        'Offer',
        i % 2 ? 'AppSource' : 'Azure Marketplace',
        ctas[i % ctas.length],
        `bench.offer-${i % 7}`,
        `Bench Offer ${i % 7}`,
        `Company ${i}`,
        'PT',
        `First${i}`,
        `Last${i}`,
        `buyer${i}@import-bench.example.com`,
        '+351 21 000 0000',
        'CTO',
        note,
        'Valid',
        'Unknown',
        'High',
        'New',
        'Received',
        'Have not decided',
      ].join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

async function postExport(
  url: string,
  secret: string,
  csv: string,
): Promise<{ ms: number; report: ImportReport }> {
  const started = performance.now();
  const response = await fetch(`${url}/api/leads/import`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', 'x-leads-key': secret },
    body: Buffer.from(csv),
  });
  const body = (await response.json()) as ImportReport;
  if (response.status !== 200) throw new Error(`import answered ${response.status}: ${JSON.stringify(body)}`);
  return { ms: performance.now() - started, report: body };
}

/** The figures: first import (all new), the same file again (all known). */
export async function benchImport(url: string, secret: string): Promise<Record<string, unknown>> {
  const csv = makeExport(IMPORT_ROWS);
  const first = await postExport(url, secret, csv);
  if (first.report.new !== IMPORT_ROWS)
    throw new Error(`expected ${IMPORT_ROWS} new, got ${first.report.new}`);
  const again = await postExport(url, secret, csv);
  if (again.report.known !== IMPORT_ROWS)
    throw new Error(`expected ${IMPORT_ROWS} known, got ${again.report.known}`);
  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  return {
    'file, MB': Math.round((Buffer.byteLength(csv) / 2 ** 20) * 10) / 10,
    'new leads: import to report, s': seconds(first.ms),
    'new leads: rows/s': Math.round(IMPORT_ROWS / (first.ms / 1000)),
    'same file again (all known): s': seconds(again.ms),
  };
}
