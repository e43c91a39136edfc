// A lead as one Azure Table entity. A property holds at most 64 KiB and an entity at most 1 MiB,
// so the lead's JSON is split over `d0`, `d1`, … and its raw payloads (the lead's and each repeat
// sighting's, kept whole as received) over `r0`, `r1`, … (see columns.ts). A few plain columns
// let queries filter or `select` without reading the JSON.
import { ValidationError } from '../../errors.js';
import { customerName, type Lead } from '../../leads/lead.js';
import { isClosed, isOpen } from '../../leads/lifecycle.js';
import { asciiText, getText, putText } from './columns.js';
import { monthOf, toKey } from './keys.js';

/** Bytes of JSON and payloads in one entity: 1 MiB less room for the columns, keys and names. */
const MAX_ENTITY_BYTES = 960_000;

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
  const row: LeadRow = {
    partitionKey: monthOf(lead.receivedAt),
    rowKey: toKey(lead.id),
    id: lead.id,
    at: lead.receivedAt,
    v: lead.version,
    open: isOpen(lead),
    closed: isClosed(lead) && !lead.erased,
    test: lead.isTest,
    q: asciiText(searchText(lead).slice(0, 2_000)),
    w: writer,
  };
  const bytes = putText(row, 'd', data) + putText(row, 'r', rawText);
  if (bytes > MAX_ENTITY_BYTES)
    throw new ValidationError(
      `Lead ${lead.id} is too large to store (${Math.round(bytes / 1024)} KB; Azure Table storage takes ` +
        `about ${Math.round(MAX_ENTITY_BYTES / 1024)} KB per lead): its payload or history is far longer than ` +
        'any marketplace lead. Nothing was stored.',
      'too_large',
    );
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
