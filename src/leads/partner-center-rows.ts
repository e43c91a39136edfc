// Partner Center's lead export (Referrals → Leads → Marketplace leads → Download) as rows of
// IncomingLead. Its columns are not published (partner-center-export.md §1.2, §1.6): headers are
// matched loosely, by the names the documented Referrals files use and their likely variants.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { ValidationError } from '../errors.js';
import { parseCampaignDescription } from './campaigns.js';
import type { Customer, IncomingLead } from './lead.js';
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
 * Reads the CSV (BOM, quoted fields, fields over several lines). Throws ValidationError, changing
 * nothing, for a file that is not such an export: no header, more than 5,000 rows, or without the
 * columns a lead is recognised by (naming the missing ones).
 */
export function readExportFile(csv: string): ExportFile {
  const broken: ExportFile['broken'] = [];
  let records: Array<{ record: string[]; info: { records: number } }>;
  try {
    // With `info`, each record comes as {record, info}; csv-parse's types do not say so.
    records = parse(csv, {
      bom: true,
      info: true,
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
    }) as unknown as typeof records;
  } catch (error) {
    throw new ValidationError(
      `The file is not a CSV file I can read (${(error as Error).message.slice(0, 120)}).`,
      'not_csv',
    );
  }
  const [head, ...body] = records;
  if (!head)
    throw new ValidationError(
      'The file is empty: export the leads from Partner Center and send that file.',
      'empty_file',
    );
  if (body.length > MAX_IMPORT_ROWS)
    throw new ValidationError(
      `The file has ${body.length} rows; at most ${MAX_IMPORT_ROWS} (Partner Center's own limit) go in one import. Split it by date.`,
      'too_many_rows',
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
  const raw = JSON.stringify(Object.fromEntries(file.header.map((h, i) => [h, row.cells[i] ?? ''])));
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
