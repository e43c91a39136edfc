// Text search (`find`, the tab's `q=`): one rule for what a viewer's words are matched against.
import { type Actor, hidesContact } from './access.js';
import { customerName, type Lead } from './lead.js';

/** Who is searching: what they may see of a lead decides what their words may match. */
export interface SearchSight {
  viewer: Actor | undefined;
  visibility: 'team' | 'owner';
}

/**
 * Everything a lead shows to anyone (a store's candidate search, narrowed per viewer afterwards
 * with matchesSearch). Never use it to answer a person.
 */
export const SEES_EVERYTHING: SearchSight = { viewer: undefined, visibility: 'team' };

/** The words typed, lowercased; a lead matches when its text holds every one. */
export function searchWords(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Whether a lead's id, name, company, offer and (when this viewer may see it) e-mail hold every
 * word of `text`. A hidden e-mail is never matched: otherwise a search could guess it letter by
 * letter, a hit or not at each try.
 */
export function matchesSearch(text: string, sight: SearchSight): (lead: Lead) => boolean {
  const words = searchWords(text);
  if (words.length === 0) return () => false;
  return (lead) => {
    if (lead.isTest) return false;
    const c = lead.customer;
    const seen = [lead.id, customerName(c), c.company, lead.offerTitle];
    if (!hidesContact(lead, sight.viewer, sight.visibility)) seen.push(c.email);
    const haystack = seen.join(' ').toLowerCase();
    return words.every((w) => haystack.includes(w));
  };
}
