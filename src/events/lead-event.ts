// A lead event: one entry of a lead's history (entry 0 is its arrival), as a CloudEvents 1.0 JSON
// event whose data is the lead's public JSON (docs/events.schema.json). Pure: no I/O, no clock.
import { createHash } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import { countryCode } from '../leads/countries.js';
import type { HistoryEntry, Lead } from '../leads/lead.js';
import { priorityOf } from '../leads/priority.js';

export const EVENT_TYPE_PREFIX = 'com.leadassistant.lead.';

export type LeadEventKind =
  | 'received'
  | 'claimed'
  | 'assigned'
  | 'qualified'
  | 'disqualified'
  | 'opportunity'
  | 'won'
  | 'lost'
  | 'reopened'
  | 'note_added'
  | 'crm_linked'
  | 'erased'
  | 'changed';

/** History actions by the event they are; any other action (a new one included) is `changed`. */
const KINDS: Record<string, LeadEventKind> = {
  received: 'received',
  // A lead recovered from Partner Center's export arrives that way; `change.action` tells it apart.
  recovered: 'received',
  claim: 'claimed',
  assign: 'assigned',
  qualify: 'qualified',
  disqualify: 'disqualified',
  opportunity: 'opportunity',
  won: 'won',
  lost: 'lost',
  reopen: 'reopened',
  note: 'note_added',
  'crm-linked': 'crm_linked',
  crm_linked: 'crm_linked',
  erase: 'erased',
};

export function eventKind(action: string): LeadEventKind {
  return Object.hasOwn(KINDS, action) ? (KINDS[action] as LeadEventKind) : 'changed';
}

/**
 * Stable per event and endpoint: a re-send (after a timeout, a crash) carries the same id, so the
 * receiver can drop what it has seen.
 */
export function webhookId(endpointKey: string, leadId: string, sequence: number): string {
  const digest = createHash('sha256').update(`${endpointKey}|${leadId}.${sequence}`).digest('base64url');
  return `evt_${digest.slice(0, 24)}`;
}

export interface EventOptions {
  endpointKey: string;
  /** CloudEvents `source`, e.g. `/lead-assistant/leads.contoso.com`. */
  source: string;
  /** EVENTS_CONTACT: e-mail and phone go out only with `include`. */
  contact: 'include' | 'omit';
}

export interface LeadEvent {
  id: string;
  type: string;
  /** The JSON body, exactly as signed. */
  body: string;
}

/**
 * Event `sequence` of `lead` (its history entry). The data is the lead as it is now, when the
 * event is sent, plus the change: an event queued before an erasure and sent after it carries
 * no personal data either.
 */
export function buildLeadEvent(lead: Lead, sequence: number, options: EventOptions): LeadEvent {
  const entry = lead.history[sequence];
  if (!entry) throw new RangeError(`Lead ${lead.id} has no history entry ${sequence}.`);
  const id = webhookId(options.endpointKey, lead.id, sequence);
  const event = new CloudEvent({
    specversion: '1.0',
    id,
    type: `${EVENT_TYPE_PREFIX}${eventKind(entry.action)}`,
    source: options.source,
    subject: lead.id,
    time: entry.at,
    datacontenttype: 'application/json',
    data: publicLead(lead, entry, sequence, options.contact),
  });
  event.validate(); // throws on an envelope CloudEvents 1.0 would refuse
  return { id, type: event.type, body: JSON.stringify(event) };
}

/** The lead's public JSON: never the raw payload, fingerprints or delivery bookkeeping. */
export function publicLead(
  lead: Lead,
  entry: HistoryEntry,
  sequence: number,
  contact: 'include' | 'omit',
): Record<string, unknown> {
  const { customer } = lead;
  const code = countryCode(customer.country);
  return {
    id: lead.id,
    receivedAt: lead.receivedAt,
    status: lead.status,
    version: lead.version,
    source: {
      storefront: lead.source.storefront,
      action: lead.source.action,
      ...(lead.source.offerId ? { offerId: lead.source.offerId } : {}),
    },
    offer: { title: lead.offerTitle, ...(lead.source.offerId ? { id: lead.source.offerId } : {}) },
    doNotContact: lead.doNotContact,
    priority: publicPriority(lead),
    ...(lead.owner ? { owner: { aadObjectId: lead.owner.aadObjectId, name: lead.owner.name } } : {}),
    ...(lead.erased
      ? { erased: { at: lead.erased.at, reason: lead.erased.reason } }
      : {
          customer: {
            firstName: customer.firstName,
            lastName: customer.lastName,
            company: customer.company,
            title: customer.title,
            country: customer.country,
            ...(code ? { countryCode: code } : {}),
            ...(contact === 'include' ? { email: customer.email, phone: customer.phone } : {}),
          },
          description: lead.description,
        }),
    ...(lead.opportunity ? { opportunity: { ...lead.opportunity } } : {}),
    ...(lead.disqualifyReason ? { disqualifyReason: lead.disqualifyReason } : {}),
    ...(lead.crm
      ? {
          crm: {
            ...(lead.crm.id ? { crmId: lead.crm.id } : {}),
            ...(lead.crm.url ? { crmUrl: lead.crm.url } : {}),
            linkedAt: lead.crm.linkedAt,
          },
        }
      : {}),
    ...(lead.campaign ? { campaign: { ...lead.campaign, params: { ...lead.campaign.params } } } : {}),
    change: {
      sequence,
      action: entry.action,
      ...(entry.from ? { from: entry.from } : {}),
      ...(entry.to ? { to: entry.to } : {}),
      by: { aadObjectId: entry.by.aadObjectId, name: entry.by.name },
      ...(entry.note ? { note: entry.note } : {}),
      ...(entry.auto ? { auto: { ...entry.auto } } : {}),
      at: entry.at,
    },
  };
}

function publicPriority(lead: Lead): Record<string, unknown> {
  const { level, score, reasons } = priorityOf(lead);
  return {
    level,
    score,
    reasons: reasons.map((r) => ({
      code: r.code,
      weight: r.weight,
      ...(r.action ? { action: r.action } : {}),
      ...(r.missing ? { missing: [...r.missing] } : {}),
    })),
  };
}
