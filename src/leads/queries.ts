import { isClaimable } from './access.js';
import { customerName, type Lead } from './lead.js';
import { isOpen } from './lifecycle.js';

const oldestFirst = (a: Lead, b: Lead) => a.receivedAt.localeCompare(b.receivedAt);

/** Open leads someone owns, oldest first: what they should work on next. */
export function myOpenLeads(leads: Lead[], aadObjectId: string): Lead[] {
  return leads.filter((l) => l.owner?.aadObjectId === aadObjectId && isOpen(l)).sort(oldestFirst);
}

/** Leads waiting for someone to claim them, oldest first (test and do-not-contact leads need nobody). */
export function unclaimedLeads(leads: Lead[]): Lead[] {
  return leads.filter(isClaimable).sort(oldestFirst);
}

/** Leads whose id, name, company, e-mail or offer contains every word typed, newest first. */
export function findLeads(leads: Lead[], text: string): Lead[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return leads
    .filter((l) => !l.isTest)
    .filter((l) => {
      const c = l.customer;
      const haystack = [l.id, customerName(c), c.company, c.email, l.offerTitle].join(' ').toLowerCase();
      return words.every((w) => haystack.includes(w));
    })
    .sort((a, b) => oldestFirst(b, a));
}
