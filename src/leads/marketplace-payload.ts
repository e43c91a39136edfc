import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { parseCampaignDescription } from './campaigns.js';
import { parseJsonText } from './json-text.js';
import type { Customer, IncomingLead } from './lead.js';
import { parseLeadSource } from './lead-source.js';

const MAX_DEPTH = 8;
const TEST_LEAD = /^MSFT_TEST_\d+/i;

// Every field may be missing or empty (reference §2.2); a number is taken for a phone.
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null ? '' : String(v).trim()));
const userDetails = z.object({
  firstname: text,
  lastname: text,
  email: text,
  phone: text,
  country: text,
  company: text,
  title: text,
});
const payload = z.object({
  userdetails: userDetails.nullish(),
  leadsource: text,
  actioncode: text,
  offertitle: text,
  description: text,
});

/**
 * Partner Center's "HTTPS endpoint" JSON → an IncomingLead. Keys match case-insensitively
 * (`UserDetails` and `userDetails` both occur). Throws ValidationError, naming the field, for a
 * body that is not a lead; unknown action codes are accepted, never refused.
 */
export function parseMarketplaceLead(rawBody: string): IncomingLead {
  const json = parseJsonText(rawBody);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ValidationError(
      `The body must be a JSON object like {"UserDetails":{…},"LeadSource":…}, got ${kind(json)}.`,
    );
  }
  checkDepth(json, 1);
  const result = payload.safeParse(lowerKeys(json, 2));
  if (!result.success) throw new ValidationError(describeIssue(result.error.issues[0]));
  const body = result.data;
  if (!body.userdetails && !body.leadsource && !body.actioncode && !body.offertitle) {
    throw new ValidationError(
      'The body has none of UserDetails, LeadSource, ActionCode or OfferTitle, so it is not a marketplace lead.',
    );
  }
  const d = body.userdetails;
  const customer: Customer = {
    firstName: d?.firstname ?? '',
    lastName: d?.lastname ?? '',
    email: d?.email ?? '',
    phone: d?.phone ?? '',
    country: d?.country ?? '',
    company: d?.company ?? '',
    title: d?.title ?? '',
  };
  const source = parseLeadSource(body.leadsource, body.actioncode);
  const lead = { source, offerTitle: body.offertitle, description: body.description, customer };
  // The fingerprint keeps the description as sent; the lead keeps its campaign data as fields.
  const { campaign, description } = parseCampaignDescription(body.description);
  return {
    ...lead,
    description,
    ...(campaign ? { campaign } : {}),
    isTest: isTestLead(customer, body.description),
    doNotContact: source.action === 'DNC',
    raw: rawBody,
    fingerprint: fingerprint(lead),
  };
}

/** Microsoft's validation lead: every text field is MSFT_TEST_<ticks> (reference §2.3). */
export function isTestLead(customer: Customer, description: string): boolean {
  const fields = [customer.firstName, customer.lastName, customer.company, description];
  return fields.some((f) => TEST_LEAD.test(f)) || /^MSFT_TEST_\d*@test\.com$/i.test(customer.email);
}

/** Same content → same hash, whatever the key casing, order or surrounding whitespace. */
export function fingerprint(
  lead: Pick<IncomingLead, 'source' | 'offerTitle' | 'description' | 'customer'>,
): string {
  const c = lead.customer;
  const canonical = [
    lead.source.raw,
    lead.source.rawActionCode,
    lead.offerTitle,
    lead.description,
    c.firstName,
    c.lastName,
    c.email.toLowerCase(),
    c.phone,
    c.country,
    c.company,
    c.title,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function checkDepth(value: unknown, depth: number): void {
  if (depth > MAX_DEPTH)
    throw new ValidationError(`The JSON is nested deeper than ${MAX_DEPTH} levels; a lead is flat.`);
  if (value && typeof value === 'object')
    for (const child of Object.values(value)) checkDepth(child, depth + 1);
}

/** Lower-cases object keys down to `levels` deep; the first spelling of a key wins. */
function lowerKeys(value: unknown, levels: number): unknown {
  if (levels === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const lower = k.toLowerCase();
    if (!(lower in out)) out[lower] = lowerKeys(v, levels - 1);
  }
  return out;
}

const fieldNames: Record<string, string> = {
  userdetails: 'UserDetails',
  leadsource: 'LeadSource',
  actioncode: 'ActionCode',
  offertitle: 'OfferTitle',
  description: 'Description',
  firstname: 'FirstName',
  lastname: 'LastName',
  email: 'Email',
  phone: 'Phone',
  country: 'Country',
  company: 'Company',
  title: 'Title',
};

function describeIssue(issue: z.ZodIssue | undefined): string {
  const path = (issue?.path ?? []).map((p) => fieldNames[String(p)] ?? String(p)).join('.');
  const expected = path === 'UserDetails' ? 'an object' : 'a string';
  return `${path || 'The body'} must be ${expected}.`;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

// The words' keys live apart so the tab's bundle can read them without the parser.
export { actionLabelKey, storefrontLabelKey } from './source-labels.js';
