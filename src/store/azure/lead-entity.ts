// A lead as one Azure Table entity. A string property holds at most 64 KiB (32K UTF-16 chars) and
// an entity at most 1 MiB, so the lead's JSON is split over `d0`, `d1`, … and its raw payloads
// (the lead's and each repeat sighting's, kept whole as received) over `r0`, `r1`, …. A few plain
// columns let queries filter or `select` without parsing the JSON.
import { ValidationError } from '../../errors.js';
import { customerName, type Lead } from '../../leads/lead.js';
import { isClosed, isOpen } from '../../leads/lifecycle.js';
import { getText, putText } from './columns.js';
import { monthOf, toKey } from './keys.js';

/** Azure counts 2 bytes per char and the names too; room is kept for the columns and keys. */
const MAX_ENTITY_CHARS = 480_000;

export interface LeadRow {
  partitionKey: string;
  rowKey: string;
  etag?: string;
  [property: string]: unknown;
}

/** The columns search reads: one small string per lead instead of the lead. */
export const SEARCH_COLUMNS = ['PartitionKey', 'RowKey', 'id', 'q'];

/** `writer`: a token unique to this write, so a retried write can tell that its first try landed. */
export function toRow(lead: Lead, writer: string): LeadRow {
  const { raw, repeats, ...rest } = lead;
  const raws = [raw, ...(repeats ?? []).map((r) => r.raw)];
  const data = JSON.stringify({
    ...rest,
    ...(repeats ? { repeats: repeats.map((r) => ({ ...r, raw: '' })) } : {}),
  });
  const rawText = JSON.stringify(raws);
  if (data.length + rawText.length > MAX_ENTITY_CHARS)
    throw new ValidationError(
      `Lead ${lead.id} is too large to store (${Math.round((data.length + rawText.length) / 1024)} K characters; ` +
        `Azure Table storage takes about ${MAX_ENTITY_CHARS / 1024} K per lead): its payload or history is ` +
        'far longer than any marketplace lead. Nothing was stored.',
      'too_large',
    );
  const row: LeadRow = {
    partitionKey: monthOf(lead.receivedAt),
    rowKey: toKey(lead.id),
    id: lead.id,
    at: lead.receivedAt,
    v: lead.version,
    open: isOpen(lead),
    closed: isClosed(lead) && !lead.erased,
    test: lead.isTest,
    q: searchText(lead).slice(0, 2_000),
    w: writer,
  };
  putText(row, 'd', data);
  putText(row, 'r', rawText);
  return row;
}

export function fromRow(row: Record<string, unknown>): Lead {
  const lead = JSON.parse(getText(row, 'd')) as Lead;
  const raws = JSON.parse(getText(row, 'r')) as string[];
  lead.raw = raws[0] ?? '';
  lead.repeats?.forEach((r, i) => {
    r.raw = raws[i + 1] ?? '';
  });
  return lead;
}

/** What findLeads looks in, lowercased: id, name, company, e-mail, offer. */
function searchText(lead: Lead): string {
  const c = lead.customer;
  return [lead.id, customerName(c), c.company, c.email, lead.offerTitle].join(' ').toLowerCase();
}
