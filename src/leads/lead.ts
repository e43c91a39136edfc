// The lead as the rest of the app sees it. Plain data only: no Teams, no HTTP.

import type { AutoAssignMiss, AutoHow } from './auto-assign-data.js';
import type { Priority } from './priority-levels.js';

export type Storefront = 'AzureMarketplace' | 'AppSource' | 'AzurePortal' | 'TestDrive' | 'Unknown';
export type ActionCode = 'INS' | 'PLT' | 'DNC' | 'Create' | 'StartTestDrive' | 'Unknown';

export const LEAD_STATUSES = [
  'new',
  'assigned',
  'qualified',
  'opportunity',
  'won',
  'lost',
  'disqualified',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export interface LeadSource {
  storefront: Storefront;
  action: ActionCode;
  /** `publisher.offer` from a combined LeadSource string, when present. */
  offerId?: string;
  /** LeadSource exactly as received. */
  raw: string;
  /** ActionCode exactly as received (kept for codes we do not know yet). */
  rawActionCode: string;
}

export interface Customer {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  country: string;
  company: string;
  title: string;
}

export interface Person {
  aadObjectId: string;
  name: string;
}

export interface Opportunity {
  value: number;
  currency: string;
  expectedClose?: string;
  notes?: string;
}

export interface HistoryEntry {
  at: string;
  by: Person | { aadObjectId: 'system'; name: string };
  action: string;
  from?: LeadStatus;
  to?: LeadStatus;
  note?: string;
  /** Set when Lead Assistant assigned the lead itself: by the rotation, or by which rule. */
  auto?: AutoHow;
}

export type DeliveryState = 'pending' | 'posted' | 'failed';

export interface Delivery {
  /** Team whose installation (service URL, tenant) is used to post. */
  teamId: string;
  /** Channel (bare `19:…@thread.tacv2` id) the card goes to. */
  conversationId: string;
  state: DeliveryState;
  /** Id of the posted root message, needed to update the card later. */
  activityId?: string;
  /** Conversation id of the thread the card started (`…;messageid=…`). */
  threadId?: string;
  attempts: number;
  /**
   * Pending: when to post again. Posted: an update of the card is owed (Teams refused the last
   * one), and when to try it; the outbox brings the card up to date.
   */
  nextAttemptAt?: string;
  /** Failed updates of a posted card in a row, for the backoff. */
  updateAttempts?: number;
  lastError?: string;
}

/** A posted card Teams refused to update: the outbox owes it the lead's current state. */
export function owesCardUpdate(delivery: Delivery): boolean {
  return delivery.state === 'posted' && delivery.nextAttemptAt !== undefined;
}

/** The delivery patch that settles an owed card update. */
export const NOTHING_OWED = {
  nextAttemptAt: undefined,
  updateAttempts: undefined,
  lastError: undefined,
} as const satisfies Partial<Delivery>;

/**
 * The new owner's personal notice, owed by an assignment and sent by the outbox after the click is
 * answered: kept with the lead, so a crash or a Teams outage delays it, never loses it.
 */
export interface OwnerNotice {
  /** Who is to be told, and the name of who assigned the lead. */
  to: Person;
  by: string;
  /** The lead's version the assignment saved: the cards say "not told" only while it is current. */
  forVersion: number;
  /** `failed`: Teams refused the personal chat (or nobody could be reached); the cards say so. */
  state: 'owed' | 'told' | 'failed';
  attempts?: number;
  nextAttemptAt?: string;
  lastError?: string;
}

/** An assignment whose new owner is still to be told. */
export function owesOwnerNotice(lead: Lead): boolean {
  return lead.ownerNotice?.state === 'owed';
}

/** Whether the cards of this lead, as it is, say its new owner could not be told. */
export function ownerNotToldNow(lead: Lead): boolean {
  return lead.ownerNotice?.state === 'failed' && lead.ownerNotice.forVersion === lead.version;
}

/** What the outbox owes Teams after a change: a posted card's update, or the new owner's notice. */
export function owesChangeToTeams(lead: Lead): boolean {
  return lead.deliveries.some(owesCardUpdate) || owesOwnerNotice(lead);
}

/** The lead's record in the sales team's CRM: set on the card or by the CRM itself. */
export interface CrmRecord {
  id?: string;
  /** An https link that opens the record. */
  url?: string;
  linkedAt: string;
  linkedBy: Person | { aadObjectId: 'system'; name: string };
}

/** Campaign data the lead carried (listing-URL parameters, "Campaigns: …") or a manager's tag. */
export interface Campaign {
  /** utm_campaign, or the name a manager tagged the lead with. */
  name?: string;
  /** mktcmpid: Microsoft's marketing campaign id. */
  id?: string;
  source?: string;
  medium?: string;
  term?: string;
  content?: string;
  /** Every parameter as received (keys lower-cased), the ones above included. */
  params: Record<string, string>;
}

/** A lead found in a Partner Center export that the bot never received (recovered by an import). */
export interface Recovery {
  at: string;
  from: 'partner-center-export';
  /** Partner Center's Referral ID, when the export had one. */
  referralId?: string;
  /** LeadCreationDateTime as the export gave it. */
  createdRaw?: string;
}

/** A lead as parsed from a marketplace payload, before it is stored. */
export interface IncomingLead {
  source: LeadSource;
  offerTitle: string;
  description: string;
  customer: Customer;
  isTest: boolean;
  doNotContact: boolean;
  /** The body exactly as received, so nothing Microsoft sent is ever lost. */
  raw: string;
  /** Stable hash of the payload content, used to recognise re-deliveries. */
  fingerprint: string;
  /** Campaign data found in the description (the description keeps only the rest). */
  campaign?: Campaign;
  /** Set on leads an import recovered from a Partner Center export. */
  recovered?: Recovery;
}

/** The same buyer again (e.g. Contact me, then Get it now): kept on the first lead, not a new card. */
export interface RepeatSighting {
  receivedAt: string;
  source: LeadSource;
  fingerprint: string;
  raw: string;
  /**
   * `owed`: the lead's threads are to be told (a reply "seen again"); the outbox makes it `done`
   * once every posted thread has it. Absent on sightings from before announcements were queued.
   */
  announce?: 'owed' | 'done';
  /** Outbox bookkeeping: threads (channel ids) already told, and when to try the rest again. */
  announcedIn?: string[];
  nextAttemptAt?: string;
  attempts?: number;
}

/** A repeat sighting the lead's threads have not all been told about yet. */
export function owesAnnouncement(lead: Lead): boolean {
  return (lead.repeats ?? []).some((r) => r.announce === 'owed');
}

export interface Lead extends IncomingLead {
  id: string;
  receivedAt: string;
  status: LeadStatus;
  owner?: Person;
  opportunity?: Opportunity;
  disqualifyReason?: string;
  history: HistoryEntry[];
  deliveries: Delivery[];
  repeats?: RepeatSighting[];
  /** Reminder bookkeeping (does not change the version the cards carry). */
  reminders?: {
    announcedAt?: string;
    escalatedAt?: string;
    /** Managers (object ids) the escalation reached so far: a retry tells only the others. */
    escalatedTo?: string[];
    nudgedAt?: string;
    snoozedUntil?: string;
  };
  /** The new owner's notice after an assignment (outbox bookkeeping; the version stays). */
  ownerNotice?: OwnerNotice;
  /** The CRM record the lead was linked to (history: `crm-linked`). */
  crm?: CrmRecord;
  /**
   * Set on arrival and again by a repeat. Leads stored before priorities have none: read it
   * through priorityOf (leads/priority.ts), which computes it then.
   */
  priority?: Priority;
  /** Auto-assign was on when it arrived but nobody could be given it (all away or full): why. */
  autoAssignMiss?: AutoAssignMiss;
  /** Set once the customer's personal data was erased (on request or by retention). */
  erased?: { at: string; reason: 'request' | 'retention' };
  /**
   * Lead events bookkeeping, per EVENTS_URL endpoint (keyed by a hash of its URL): how far this
   * lead's history has been sent there. Only the store's updateEventCursor changes it; saveLead
   * keeps what is stored, and the version stays.
   */
  events?: Record<string, EventCursor>;
  version: number;
}

/**
 * How far one endpoint has had a lead's history: entry `sent` is the next event (the history is
 * the event log, entry 0 the lead's arrival). Absent: none sent yet (see leads/event-cursor.ts).
 */
export interface EventCursor {
  /** Entries settled: acknowledged with a 2xx, or given up on. */
  sent: number;
  /** Events given up on (refused for good, or failing for 24 h): counted in /healthz. */
  failed?: number;
  /** Failed attempts at entry `sent`, when to try it again, and since when it fails. */
  attempts?: number;
  nextAttemptAt?: string;
  firstFailedAt?: string;
  lastError?: string;
}

export function customerName(customer: Customer): string {
  return [customer.firstName, customer.lastName].filter((part) => part.trim() !== '').join(' ');
}

/** Whether the lead holds this payload, as its first sighting or as a repeat. */
export function holdsFingerprint(lead: Lead, fingerprint: string): boolean {
  return lead.fingerprint === fingerprint || (lead.repeats ?? []).some((r) => r.fingerprint === fingerprint);
}
