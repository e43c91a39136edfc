import type { HistoryEntry, Lead, Person } from './lead.js';
import { CLOSED } from './lifecycle.js';

const EMPTY_CUSTOMER = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  country: '',
  company: '',
  title: '',
};

/**
 * Wipes what identifies the customer: contact fields, their note, the raw payloads and the free
 * text the team wrote. What stays is the lead's business record (offer, source, status, value,
 * who did what when) and one audit entry that holds no personal data.
 */
export function eraseCustomer(
  lead: Lead,
  by: Person | { aadObjectId: 'system'; name: string },
  reason: 'request' | 'retention',
  now: Date,
): Lead {
  const at = now.toISOString();
  const history = lead.history.map(withoutFreeText);
  const { notes: _notes, ...opportunity } = lead.opportunity ?? { value: 0, currency: '' };
  return {
    ...lead,
    customer: { ...EMPTY_CUSTOMER },
    description: '',
    raw: '',
    fingerprint: `erased:${lead.id}`,
    ...(lead.opportunity ? { opportunity } : {}),
    ...(lead.repeats
      ? { repeats: lead.repeats.map((r) => ({ ...r, raw: '', fingerprint: `erased:${lead.id}` })) }
      : {}),
    erased: { at, reason },
    history: [...history, { at, by, action: 'erase', note: reason }],
  };
}

/** Notes are free text about the customer; codes (a reason, an action, a colleague's name) stay. */
function withoutFreeText(entry: HistoryEntry): HistoryEntry {
  const { note, ...rest } = entry;
  if (!note) return rest;
  if (entry.action === 'assign' || entry.action === 'seen_again') return entry;
  if (entry.action === 'disqualify') return { ...rest, note: note.split(':')[0] ?? '' };
  return rest;
}

/** Leads whose personal data to erase: everything for that e-mail address, not yet erased. */
export function leadsOfPerson(leads: Lead[], email: string): Lead[] {
  const wanted = email.trim().toLowerCase();
  if (!wanted) return [];
  return leads.filter((l) => !l.erased && l.customer.email.toLowerCase() === wanted);
}

/** Closed leads whose closing is older than the retention period. */
export function leadsPastRetention(leads: Lead[], retentionDays: number, now: Date): Lead[] {
  const cutoff = now.getTime() - retentionDays * 86_400_000;
  return leads.filter((l) => {
    if (l.erased || !CLOSED.includes(l.status)) return false;
    const closed = [...l.history].reverse().find((e) => e.to !== undefined && CLOSED.includes(e.to));
    return closed !== undefined && Date.parse(closed.at) < cutoff;
  });
}
