// The statuses by what they mean for the work: open, closed, waiting for an owner. Apart from
// lifecycle.ts so that the access rules (access.ts) can read them without a cycle.
import type { Lead, LeadStatus } from './lead.js';

/** Still being worked: not yet won, lost or disqualified. "My leads", reminders and reports count these. */
export const OPEN: readonly LeadStatus[] = ['new', 'assigned', 'qualified', 'opportunity'];
/** Done with: the customer bought, did not, or was never a prospect (reopen brings lost and disqualified back). */
export const CLOSED: readonly LeadStatus[] = ['won', 'lost', 'disqualified'];
/**
 * Waiting for an owner. Only `new` leads have none: claim, assign and qualify give a new lead an
 * owner and move it on, and reopen gives `new` only to a lead that never had one.
 */
export const CLAIMABLE: readonly LeadStatus[] = ['new'];

export function isOpen(lead: Pick<Lead, 'status'>): boolean {
  return OPEN.includes(lead.status);
}

export function isClosed(lead: Pick<Lead, 'status'>): boolean {
  return CLOSED.includes(lead.status);
}
