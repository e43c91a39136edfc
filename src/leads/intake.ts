import type { LeadStore } from '../store/lead-store.js';
import type { IncomingLead, Lead } from './lead.js';
import { newLeadId } from './lead-id.js';
import { parseMarketplaceLead } from './marketplace-payload.js';
import { pendingDelivery, routeLead } from './routing.js';

export type IntakeStatus = 'accepted' | 'duplicate' | 'test';

export interface IntakeResult {
  lead: Lead;
  status: IntakeStatus;
}

/**
 * Parse → classify → dedupe → store durably. Resolves only once the lead is on disk; throws
 * ValidationError (nothing stored) for a body that is not a lead.
 */
export async function receiveLead(store: LeadStore, rawBody: string, now: Date): Promise<IntakeResult> {
  const incoming = parseMarketplaceLead(rawBody);
  const routing = await store.getRouting();
  const { lead, created } = await store.insertLead(incoming, (parsed) =>
    buildLead(parsed, now, routeLead(parsed, routing)),
  );
  if (!created) return { lead, status: 'duplicate' };
  return { lead, status: lead.isTest ? 'test' : 'accepted' };
}

function buildLead(incoming: IncomingLead, now: Date, target: ReturnType<typeof routeLead>): Lead {
  const receivedAt = now.toISOString();
  return {
    ...incoming,
    id: newLeadId(),
    receivedAt,
    status: 'new',
    history: [
      { at: receivedAt, by: { aadObjectId: 'system', name: 'Marketplace' }, action: 'received', to: 'new' },
    ],
    deliveries: target ? [pendingDelivery(target)] : [],
    version: 1,
  };
}
