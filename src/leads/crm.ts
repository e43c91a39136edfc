// The lead's record in the CRM: an id, a link, or both. Set on the card (through act()) or by the
// CRM itself (PUT /api/leads/{id}/crm), so a flow that created the record can write its link back.
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { owingTeams } from './changes.js';
import type { CrmRecord, Lead } from './lead.js';
import type { Leads } from './store.js';

export const CRM_LINKED = 'crm-linked';
export const MAX_CRM_ID = 100;
export const MAX_CRM_URL = 2000;
const MAX_ATTEMPTS = 5;

/** What a person or the CRM gives: at least one of the two, checked. */
export interface CrmLink {
  id?: string;
  url?: string;
}

/**
 * The card's one input: an https link to the record, or its id. Throws ValidationError saying what
 * to type instead.
 */
export function parseCrmInput(text: string): CrmLink {
  const value = text.trim();
  if (value === '') throw new ValidationError('Paste a link to the CRM record (https://…) or its id.');
  return /^[a-z][a-z0-9+.-]*:/i.test(value) ? { url: checkCrmUrl(value) } : { id: checkCrmId(value) };
}

/** The CRM's body `{crmId?, crmUrl?}`: strings, at least one, https only, bounded. */
export function parseCrmBody(body: unknown): CrmLink {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ValidationError('The body must be a JSON object like {"crmId":"…","crmUrl":"https://…"}.');
  const { crmId, crmUrl } = body as Record<string, unknown>;
  for (const [name, value] of [
    ['crmId', crmId],
    ['crmUrl', crmUrl],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string')
      throw new ValidationError(`${name} must be a string.`);
  }
  const id = typeof crmId === 'string' && crmId.trim() !== '' ? checkCrmId(crmId.trim()) : undefined;
  const url = typeof crmUrl === 'string' && crmUrl.trim() !== '' ? checkCrmUrl(crmUrl.trim()) : undefined;
  if (!id && !url) throw new ValidationError('Give crmId, crmUrl or both; the body had neither.');
  return { ...(id ? { id } : {}), ...(url ? { url } : {}) };
}

function checkCrmId(id: string): string {
  if ([...id].length > MAX_CRM_ID)
    throw new ValidationError(`A CRM id has at most ${MAX_CRM_ID} characters.`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\s\u0000-\u001F\u007F-\u009F]/.test(id))
    throw new ValidationError('A CRM id has no spaces or control characters.');
  return id;
}

function checkCrmUrl(text: string): string {
  if (text.length > MAX_CRM_URL)
    throw new ValidationError(`A CRM link has at most ${MAX_CRM_URL} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError('The CRM link is not a valid URL; paste it as https://….');
  }
  if (url.protocol !== 'https:') throw new ValidationError('The CRM link must start with https://.');
  if (url.username || url.password)
    throw new ValidationError('The CRM link must not carry a user name or password.');
  return url.href;
}

/** "id OPP-1 · https://…": the history note of a link. */
export function crmNote(link: CrmLink): string {
  return [link.id, link.url].filter(Boolean).join(' · ');
}

export function sameCrm(current: CrmRecord | undefined, link: CrmLink): boolean {
  return current !== undefined && current.id === link.id && current.url === link.url;
}

/** The lead linked to `link` by `by`, with its history entry; the store bumps the version. */
export function withCrmLink(lead: Lead, link: CrmLink, by: CrmRecord['linkedBy'], now: Date): Lead {
  const at = now.toISOString();
  return {
    ...lead,
    crm: { ...link, linkedAt: at, linkedBy: by },
    history: [
      ...lead.history,
      { at, by, action: CRM_LINKED, from: lead.status, to: lead.status, note: crmNote(link) },
    ],
  };
}

/**
 * The CRM writes its record back (no card, no version seen): saved from the version read, read
 * again and retried if somebody changed the lead meanwhile. The same link again changes nothing.
 * `changed` is false then, so nobody is told twice.
 */
export async function linkCrmRecord(
  store: Leads,
  leadId: string,
  link: CrmLink,
  now: () => Date,
): Promise<{ lead: Lead; changed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const lead = await store.getLead(leadId);
    if (!lead) throw new NotFoundError(`There is no lead ${leadId}.`);
    if (sameCrm(lead.crm, link)) return { lead, changed: false };
    const by = { aadObjectId: 'system', name: 'CRM' } as const;
    try {
      const at = now();
      const linked = owingTeams(withCrmLink(lead, link, by, at), { verb: 'crm', by }, lead.version, at);
      return { lead: await store.saveLead(linked, lead.version), changed: true };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
