import { ValidationError } from '../errors.js';

/** A MarketplaceLeads entity as @azure/data-tables returns it (reference §3, §7). */
export interface TableRow {
  partitionKey: string;
  rowKey: string;
  timestamp?: string;
  [column: string]: unknown;
}

/**
 * A row of Partner Center's MarketplaceLeads table in the shape the HTTPS endpoint posts, so it
 * goes through the webhook's own parser: `CustomerInfo` (JSON text) is `UserDetails`, and the
 * title is in `OfferDisplayName`. The same lead arriving both ways then has the same fingerprint.
 */
export function rowToPayload(row: TableRow): Record<string, unknown> {
  const column = (name: string) => {
    const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : row[key];
  };
  return {
    UserDetails: parseCustomerInfo(column('CustomerInfo')),
    LeadSource: column('LeadSource'),
    ActionCode: column('ActionCode'),
    OfferTitle: column('OfferDisplayName') ?? column('OfferTitle'),
    Description: column('Description'),
  };
}

function parseCustomerInfo(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ValidationError('CustomerInfo must be JSON text.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // Not JSON.parse's message: it quotes the text, which holds personal data.
    throw new ValidationError('CustomerInfo is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ValidationError('CustomerInfo must be a JSON object like {"FirstName":…,"Email":…}.');
  return parsed;
}
