import { isClaimable } from './access.js';
import type { Lead } from './lead.js';
import { isOpen } from './lifecycle.js';
import { priorityRank } from './priority.js';
import { matchesSearch, SEES_EVERYTHING, type SearchSight } from './search.js';

const oldestFirst = (a: Lead, b: Lead) => a.receivedAt.localeCompare(b.receivedAt);
const mostUrgentFirst = (a: Lead, b: Lead) => priorityRank(a) - priorityRank(b) || oldestFirst(a, b);

/** Open leads someone owns, High first, then oldest first: what they should work on next. */
export function myOpenLeads(leads: Lead[], aadObjectId: string): Lead[] {
  return leads.filter((l) => l.owner?.aadObjectId === aadObjectId && isOpen(l)).sort(mostUrgentFirst);
}

/** Leads waiting for someone to claim them, High first, then oldest (test and do-not-contact leads need nobody). */
export function unclaimedLeads(leads: Lead[]): Lead[] {
  return leads.filter(isClaimable).sort(mostUrgentFirst);
}

/**
 * Leads that match `text` (see matchesSearch) as `sight` sees them, newest first. A store searches
 * with SEES_EVERYTHING; a surface narrows that to its viewer.
 */
export function findLeads(leads: Lead[], text: string, sight: SearchSight = SEES_EVERYTHING): Lead[] {
  return leads.filter(matchesSearch(text, sight)).sort((a, b) => oldestFirst(b, a));
}
