// Partner Center's lead export (Referrals → Leads → Marketplace leads → Download) as rows of
// IncomingLead. Its columns are not published (partner-center-export.md §1.2, §1.6): headers are
// matched loosely, by the names the documented Referrals files use and their likely variants.
import { createHash } from 'node:crypto';
import { CsvError } from 'csv-parse';
import { ValidationError } from '../errors.js';
import { parseCampaignDescription } from './campaigns.js';
import { readCsvRecords } from './csv-records.js';
import type { Customer, IncomingLead } from './lead.js';
import { MAX_LEAD_BYTES } from './lead-limits.js';
import { isTestLead } from './marketplace-payload.js';
import {
  ALIASES,
  actionOf,
  type Column,
  normaliseHeader,
  parseExportDate,
  storefrontOf,
} from './partner-center-values.js';

export { normaliseHeader, parseExportDate } from './partner-center-values.js';

export const MAX_IMPORT_ROWS = 5000;
/** A row is one lead, so at most MAX_LEAD_BYTES; a line many times that is no export's. */
export const MAX_IMPORT_LINE_BYTES = 512 * 1024;
/** Partner Center's exports have about 30 columns. */
export const MAX_IMPORT_COLUMNS = 200;

export interface ExportFile {
  /** Which column (index) holds what; unrecognised columns are ignored. */
  columns: Partial<Record<Column, number>>;
  ignoredColumns: string[];
  header: string[];
  rows: Array<{ row: number; cells: string[] }>;
  /** Records the CSV parser could not read (an unclosed quote), by line. */
  broken: RefusedRow[];
}

/**
 * Reads the CSV (BOM, quoted fields, fields over several lines, \n, \r\n or \r line ends) a slice
 * at a time, stopping at the first limit passed. Throws ValidationError, changing nothing, for a
 * file that is not such an export: no header, more than 5,000 rows, a line over 512 KB, more than
 * 200 columns, or without the columns a lead is recognised by (naming the missing ones).
 */
export async function readExportFile(csv: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<ExportFile> {
  const broken: ExportFile['broken'] = [];
  const reading = await readCsvRecords(
    csv,
    {
      bom: true,
      // Named rather than discovered: discovery looks at every byte until a first line end.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error)
          broken.push({
            row: Number(error.lines),
            code: 'broken_csv',
            reason: `the CSV is broken here (${error.message.split(':')[0]})`,
          });
        return undefined;
      },
    },
    { maxRecords: MAX_IMPORT_ROWS + 1, maxLineBytes: MAX_IMPORT_LINE_BYTES },
  ).catch((error: Error) => {
    // Only the parser's own errors say the file is not CSV; a body cut short or too large is not that.
    if (!(error instanceof CsvError)) throw error;
    throw new ValidationError(
      `The file is not a CSV file I can read (${error.message.slice(0, 120)}).`,
      'not_csv',
    );
  });
  if (reading.kind === 'too_many_records')
    throw new ValidationError(
      `The file has more than ${MAX_IMPORT_ROWS} rows; at most ${MAX_IMPORT_ROWS} (Partner Center's own limit) go in one import. Split it by date.`,
      'too_many_rows',
    );
  if (reading.kind === 'line_too_long')
    throw new ValidationError(
      `Line ${reading.line} of the file is longer than ${MAX_IMPORT_LINE_BYTES / 1024} KB; ` +
        `a Partner Center export's rows are at most ${MAX_LEAD_BYTES / 1024} KB, so this is not one.`,
      'line_too_long',
    );
  const [head, ...body] = reading.records;
  if (!head)
    throw new ValidationError(
      'The file is empty: export the leads from Partner Center and send that file.',
      'empty_file',
    );
  if (head.record.length > MAX_IMPORT_COLUMNS)
    throw new ValidationError(
      `The header has ${head.record.length} columns; an export has about 30 (at most ${MAX_IMPORT_COLUMNS} are read).`,
      'too_many_columns',
    );
  const header = head.record.map((h) => h.trim());
  const { columns, ignoredColumns } = matchColumns(header);
  const missing = missingColumns(columns);
  if (missing.length > 0)
    throw new ValidationError(
      `The file has no column for ${missing.join(', ')}, so its leads cannot be recognised. ` +
        'Send the export from Partner Center (Referrals → Leads → Marketplace leads → Download); its header names them.',
      'missing_columns',
    );
  return {
    columns,
    ignoredColumns,
    header,
    rows: body.map(({ record, info }) => ({ row: info.records, cells: record })),
    broken,
  };
}

function matchColumns(header: string[]): Pick<ExportFile, 'columns' | 'ignoredColumns'> {
  const columns: Partial<Record<Column, number>> = {};
  const ignoredColumns: string[] = [];
  header.forEach((name, index) => {
    const key = normaliseHeader(name);
    const column = (Object.keys(ALIASES) as Column[]).find((c) =>
      (ALIASES[c] as readonly string[]).includes(key),
    );
    // The first column of a kind wins; a second "Email" is ignored rather than guessed at.
    if (column && columns[column] === undefined) columns[column] = index;
    else if (name !== '') ignoredColumns.push(name);
  });
  return { columns, ignoredColumns };
}

/** A lead is recognised by its e-mail, offer and creation time (a Referral ID alone does not match webhook leads). */
function missingColumns(columns: Partial<Record<Column, number>>): string[] {
  const missing: string[] = [];
  if (columns.email === undefined)
    missing.push('the customer’s e-mail (e.g. "Customer Contact Email Address")');
  if (columns.offerName === undefined && columns.offerId === undefined)
    missing.push('the offer (e.g. "Offer name" or "Offer ID")');
  if (columns.createdAt === undefined) missing.push('the creation time (e.g. "LeadCreationDateTime")');
  return missing;
}

/** One row, read: a lead to match and maybe store, a test lead, or why it was refused. */
export type RowReading =
  | { kind: 'lead'; row: number; incoming: IncomingLead; createdAt: string; referralId?: string }
  | { kind: 'test'; row: number }
  | ({ kind: 'refused' } & RefusedRow);

/** Why a row was not imported: `code` for each language's sentence, `reason` in English (HTTP, CLI). */
export interface RefusedRow {
  row: number;
  code: RefusalReason;
  reason: string;
  /** What the sentence quotes (a date as written, a lead type). */
  value?: string;
}

export type RefusalReason =
  | 'broken_csv'
  | 'field_count'
  | 'too_large'
  | 'not_offer_lead'
  | 'no_email'
  | 'bad_email'
  | 'no_offer'
  | 'no_date'
  | 'bad_date'
  | 'future_date';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A row as an IncomingLead, as the webhook would have made it, with a fingerprint stable across re-imports. */
export function readRow(file: ExportFile, row: { row: number; cells: string[] }, now: Date): RowReading {
  const refuse = (code: RefusalReason, reason: string, value?: string): RowReading => ({
    kind: 'refused',
    row: row.row,
    code,
    reason,
    ...(value !== undefined ? { value } : {}),
  });
  if (row.cells.length !== file.header.length)
    return refuse(
      'field_count',
      `it has ${row.cells.length} fields where the header has ${file.header.length}`,
      `${row.cells.length}/${file.header.length}`,
    );
  // As the webhook holds a lead's body: a row past it is no lead, and is not stored, even in part.
  const bytes = row.cells.reduce((sum, c) => sum + Buffer.byteLength(c), 0);
  const raw = bytes > MAX_LEAD_BYTES ? '' : rawRow(file.header, row.cells);
  if (raw === '' || Buffer.byteLength(raw) > MAX_LEAD_BYTES)
    return refuse(
      'too_large',
      `it is larger than ${MAX_LEAD_BYTES / 1024} KB, the most one lead may be (the webhook's limit too)`,
      String(MAX_LEAD_BYTES / 1024),
    );
  const cell = (column: Column) => {
    const index = file.columns[column];
    return index === undefined ? '' : (row.cells[index] ?? '').trim();
  };
  const customer: Customer = {
    firstName: cell('firstName'),
    lastName: cell('lastName'),
    email: cell('email'),
    phone: cell('phone'),
    country: cell('country'),
    company: cell('company'),
    title: cell('title'),
  };
  const notes = cell('notes');
  if (isTestLead(customer, notes)) return { kind: 'test', row: row.row };
  const leadType = cell('leadType').toLowerCase();
  if (/profile|qualified/.test(leadType))
    return refuse(
      'not_offer_lead',
      `it is a ${cell('leadType')} lead, not a marketplace offer lead`,
      cell('leadType'),
    );
  const referralId = cell('referralId');
  if (customer.email === '')
    return refuse('no_email', 'it has no e-mail address, so it cannot be told apart from leads already held');
  if (!EMAIL.test(customer.email)) return refuse('bad_email', 'its e-mail is not an address');
  const offerId = cell('offerId').split(/[;,]/)[0]?.trim() ?? '';
  const offerTitle = cell('offerName') || offerId;
  if (offerTitle === '') return refuse('no_offer', 'it names no offer');
  const createdRaw = cell('createdAt');
  const created = parseExportDate(createdRaw);
  if (!created)
    return createdRaw
      ? refuse(
          'bad_date',
          `its creation time "${createdRaw.slice(0, 40)}" is not a date`,
          createdRaw.slice(0, 40),
        )
      : refuse('no_date', 'it has no creation time');
  if (created.getTime() > now.getTime() + 86_400_000)
    return refuse('future_date', 'its creation time is in the future');
  const createdAt = created.toISOString();
  const cta = cell('callToAction');
  const source = {
    storefront: storefrontOf(cell('leadSource')),
    action: actionOf(cta),
    ...(offerId ? { offerId } : {}),
    raw: cell('leadSource'),
    rawActionCode: cta,
  };
  const { campaign, description } = parseCampaignDescription(notes);
  const incoming: IncomingLead = {
    source,
    offerTitle,
    description,
    ...(campaign ? { campaign } : {}),
    customer,
    isTest: false,
    doNotContact: false,
    raw,
    fingerprint: rowFingerprint(referralId, customer.email, offerTitle, cta, createdAt),
    recovered: {
      at: now.toISOString(),
      from: 'partner-center-export',
      ...(referralId ? { referralId } : {}),
      createdRaw,
    },
  };
  return { kind: 'lead', row: row.row, incoming, createdAt, ...(referralId ? { referralId } : {}) };
}

/** The row as stored on the lead (its `raw`), header names as keys. */
function rawRow(header: string[], cells: string[]): string {
  return JSON.stringify(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
}

/** Partner Center's own id when the row has one; otherwise what identifies the lead in the row. */
function rowFingerprint(
  referralId: string,
  email: string,
  offer: string,
  cta: string,
  createdAt: string,
): string {
  const key = referralId
    ? ['partner-center', referralId.toLowerCase()]
    : ['partner-center', email.toLowerCase(), offer.toLowerCase(), cta.toLowerCase(), createdAt];
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}
