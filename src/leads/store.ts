// The store contract, owned by the domain: what leads/ needs kept, in its own terms. src/store/
// implements it (embedded lowdb files, in memory; Azure Tables next), and one contract suite
// (test/store/contract.spec.ts) runs the same specs against every backend.
import type { AutoAssign, Away } from './auto-assign-data.js';
import type { EventEndpoint } from './event-cursor.js';
import type { Delivery, EventCursor, Lead, OwnerNotice, Person, RepeatSighting, Storefront } from './lead.js';
import type { RollupCell } from './rollup-cell.js';

export type { EventEndpoint } from './event-cursor.js';

/** Where the bot is installed: enough to post into the team's channels later, proactively. */
export interface Installation {
  teamId: string;
  teamName: string;
  tenantId: string;
  serviceUrl: string;
  /** The bot's own account in this team (`28:<appId>`). */
  botId: string;
  installedAt: string;
  channels: ChannelInfo[];
  /** The team's members who may work leads (guests left out), for the Assign form. */
  members?: RosterMember[];
  membersReadAt?: string;
}

export interface RosterMember extends Person {
  /** Teams user id (`29:…`), needed to open a personal chat. */
  id: string;
  userPrincipalName?: string;
  /** MANAGERS may name a person by e-mail, which need not be their UPN. */
  email?: string;
}

export interface ChannelInfo {
  id: string;
  name: string;
}

export interface ChannelTarget {
  teamId: string;
  channelId: string;
}

/** Which channel gets which leads. `byStorefront` wins over `defaultChannel`. */
export interface Routing {
  defaultChannel?: ChannelTarget;
  byStorefront: Partial<Record<Storefront, ChannelTarget>>;
}

/** A summary posted on a schedule into a chat or channel. */
export interface DigestSubscription {
  /** Where it goes: a channel id (new thread each time) or a chat id. */
  conversationId: string;
  serviceUrl: string;
  tenantId: string;
  botId: string;
  cadence: 'daily' | 'weekly';
  /** Local time in TIME_ZONE, "HH:MM". Weekly digests go out on Mondays. */
  time: string;
  locale: string;
  createdAt: string;
  /** The due time of the last digest sent: the guard against sending one twice. */
  lastSentFor?: string;
  /** Set in a team's channel: the digest covers that team's leads. */
  teamId?: string;
  /** Set in a personal or group chat: the digest covers the leads this person may see. */
  reader?: Person;
}

/** A channel's queue of cards to post, as the outbox reads it. */
export interface ChannelBacklog {
  conversationId: string;
  /** Cards pending in this channel, all of them. */
  pending: number;
  /** The oldest of them, in arrival order. */
  leads: Lead[];
}

/** Read without walking the leads: O(1) or O(channels). */
export interface StoreStats {
  leads: number;
  pendingDeliveries: number;
  failedDeliveries: number;
  installations: number;
}

/** Whether the store can take writes now; `since` is when they started failing. */
export type StoreHealth = { status: 'ok' } | { status: 'degraded'; reason: string; since: string };

// Everything the app keeps, in four parts by what they hold. Every method resolves only once the
// change is durable, so an acknowledged lead survives a crash; a write the store cannot make
// rejects with StorageUnavailableError and changes nothing. Changes to a lead are conditional (its
// version) or patches the store applies atomically (delivery and reminder bookkeeping), so no
// writer silently overwrites another.

/** The leads themselves: created once, changed only from the version read, asked for by name. */
export interface Leads {
  /**
   * Stores a new lead. Refuses with ConflictError when its fingerprint is taken (`current`: the
   * lead that has it; the caller answers "duplicate") or its id is (`current` may be undefined: a
   * store need not read a lead that cannot hold the payload; the caller draws a new id).
   */
  createLead(lead: Lead): Promise<Lead>;
  getLead(id: string): Promise<Lead | undefined>;
  /**
   * Replaces a lead if its stored version is still `expectedVersion`; the saved lead gets
   * `expectedVersion + 1`. Throws ConflictError otherwise, with the current lead. The event
   * cursors (`lead.events`) stay as stored: only updateEventCursor moves them.
   */
  saveLead(lead: Lead, expectedVersion: number): Promise<Lead>;
  /** Leads whose customer had this e-mail (case-insensitive), for spotting repeat buyers. */
  findByEmail(email: string): Promise<Lead[]>;
  /** The lead that holds this payload, as its first sighting or as a repeat. */
  findByFingerprint(fingerprint: string): Promise<Lead | undefined>;
  /** Every lead, in arrival order: for exports and migrations, not for a command's answer. */
  listLeads(): Promise<Lead[]>;
  /** Leads still being worked (not won, lost or disqualified): "my leads", "unassigned", reminders. */
  listOpenLeads(): Promise<Lead[]>;
  /** Won, lost and disqualified leads whose personal data is not erased yet (retention reads these). */
  listClosedLeads(): Promise<Lead[]>;
  /** Leads (test leads left out) whose id, name, company, e-mail or offer holds every word, newest first. */
  searchLeads(text: string): Promise<Lead[]>;
  /** Leads received in [from, to): what a summary reads, without walking all history. */
  listLeadsReceived(from: Date, to: Date): Promise<Lead[]>;
  /**
   * The summary's rollup cells (leads/rollups.ts) of the days `fromDay`..`toDay` (inclusive,
   * `YYYY-MM-DD` in `timeZone`), kept as leads change. A store without them is summarised from
   * its leads (the door reads `listLeadsReceived` instead).
   */
  rollupCells?(fromDay: string, toDay: string, timeZone: string): Promise<RollupCell[]>;
  /** Reminder bookkeeping: does not change the lead's version. */
  updateReminders(leadId: string, patch: NonNullable<Lead['reminders']>): Promise<Lead>;
}

/**
 * What has to reach Teams, kept with each lead: its cards (per channel), the updates they are
 * owed, and the repeat sightings to announce. Bookkeeping patches, applied atomically to the lead
 * as it is, never change its version (so posted cards stay current) nor undo a concurrent claim.
 */
export interface Deliveries {
  /**
   * `ifVersion`: applied only while the lead is at that version (an update that showed it settles
   * what was owed; a change saved meanwhile stays owed). Otherwise the lead is left as it is.
   */
  updateDelivery(
    leadId: string,
    conversationId: string,
    patch: Partial<Delivery>,
    ifVersion?: number,
  ): Promise<Lead>;
  /** The new owner's notice of the assignment that saved `forVersion`; a newer notice is left as it is. */
  updateOwnerNotice(leadId: string, forVersion: number, patch: Partial<OwnerNotice>): Promise<Lead>;
  /** Adds deliveries to leads that have none yet (leads that arrived before any channel existed). */
  addDeliveries(leadId: string, deliveries: Delivery[]): Promise<Lead>;
  /** Announcement bookkeeping of repeat sighting `index`. */
  updateRepeat(leadId: string, index: number, patch: Partial<RepeatSighting>): Promise<Lead>;
  /** Puts a team's failed deliveries back to pending (the bot is back). Returns how many. */
  retryFailedDeliveries(teamId: string): Promise<number>;
  /**
   * Every channel with a card pending: how many are pending there, and its `limit` oldest leads
   * (arrival order) with a pending delivery to it. Costs O(channels × limit), not O(backlog).
   */
  pendingByChannel(limit: number): Promise<ChannelBacklog[]>;
  /**
   * Leads with a posted card whose update is owed, or whose new owner's notice is owed (a change
   * saved with what it owes Teams: leads/changes.ts). Costs O(those leads), not O(backlog).
   */
  listOwedUpdates(): Promise<Lead[]>;
  /** Leads with a repeat sighting whose announcement is owed. Costs O(those leads). */
  listOwedAnnouncements(): Promise<Lead[]>;
  /** Leads with no card anywhere, or only cards Teams refused for good (they wait for a channel). */
  listUndelivered(): Promise<Lead[]>;
}

/** Per endpoint: how many events its leads owe, and how many were given up on. */
export interface EventEndpointStats {
  key: string;
  /** Events owed (history entries not yet settled) over every lead that owes it some. */
  owed: number;
  /** Leads that owe it events. */
  owingLeads: number;
  failed: number;
}

/**
 * Lead events (EVENTS_URL): a lead's history is its event log, and each endpoint's cursor on the
 * lead says how far it got. A lead whose history is longer than an endpoint's cursor owes it
 * events. The endpoints themselves (when each was added, whether it is stopped) are settings.
 */
export interface Events {
  /**
   * Leads that owe events to this (active) endpoint, the earliest due first (never tried, then
   * by `nextAttemptAt`), at most `limit`. Costs O(leads owing it), not O(all leads).
   */
  listOwedEvents(endpointKey: string, limit: number): Promise<Lead[]>;
  /** Cursor bookkeeping: applied atomically to the lead as it is; the version stays. */
  updateEventCursor(leadId: string, endpointKey: string, patch: Partial<EventCursor>): Promise<Lead>;
  /** Owed and failed counts per endpoint, for /healthz. O(owing leads). */
  eventStats(): Promise<EventEndpointStats[]>;
  listEventEndpoints(): Promise<EventEndpoint[]>;
  /** Adds or replaces (by key) an endpoint; a new or stopped one changes which leads owe events. */
  putEventEndpoint(endpoint: EventEndpoint): Promise<void>;
  /** An endpoint no longer configured: nothing is owed to it any more (its cursors stay, unused). */
  removeEventEndpoint(key: string): Promise<void>;
}

/** Where the bot is installed: the teams, their channels and rosters. */
export interface Installations {
  putInstallation(installation: Installation): Promise<void>;
  getInstallation(teamId: string): Promise<Installation | undefined>;
  listInstallations(): Promise<Installation[]>;
  removeInstallation(teamId: string): Promise<void>;
}

/** What managers set: where leads go, and the digests. */
export interface Settings {
  getRouting(): Promise<Routing>;
  setRouting(routing: Routing): Promise<void>;
  listDigests(): Promise<DigestSubscription[]>;
  putDigest(digest: DigestSubscription): Promise<void>;
  /** False when that conversation had no digest. */
  removeDigest(conversationId: string): Promise<boolean>;
}

/**
 * Automatic assignment: each team's settings and rotation, and who is away. A turn is taken with a
 * conditional write, so two instances never give two leads to the same turn.
 */
export interface AutoAssignments {
  getAutoAssign(teamId: string): Promise<AutoAssign | undefined>;
  /**
   * Applies `change` to the team's settings as stored, atomically: with several writers it runs
   * again on what the other wrote (so it must be pure; its last run is what is stored). Returning
   * undefined changes nothing. Resolves with what is stored now. `soon`: a turn, whose loss in a
   * crash costs only the rotation's evenness: a store that decides in memory (the embedded one)
   * may take a moment and write many at once; it still decides at once, and a clean close writes it.
   */
  updateAutoAssign(
    teamId: string,
    change: (current: AutoAssign | undefined) => AutoAssign | undefined,
    durability?: 'now' | 'soon',
  ): Promise<AutoAssign | undefined>;
  listAway(): Promise<Away[]>;
  /** Adds or replaces (by person) an absence. */
  putAway(away: Away): Promise<void>;
  /** False when that person was not away. */
  removeAway(aadObjectId: string): Promise<boolean>;
}

/** One call to Teams: the conversation (thread, chat) and tenant it counted against, and when (epoch ms). */
export interface Send {
  thread: string;
  tenant: string;
  at: number;
}

/** What several instances on one store agree through it: who runs background work, how fast Teams was called, how far a source was read. */
export interface Coordination {
  /** Takes or renews lease `name` for `holder` until `now + ttlMs` when it is free, expired, or already `holder`'s. Resolves whether `holder` holds it now. A conditional write: two holders never both get it. */
  acquireLease(name: string, holder: string, ttlMs: number, now?: Date): Promise<boolean>;
  /** Gives the lease up if `holder` has it, so another instance takes over at once (clean stop). */
  releaseLease(name: string, holder: string): Promise<void>;
  /** A source's checkpoint (e.g. the MarketplaceLeads poller's), undefined before the first. Durable. */
  getCheckpoint(name: string): Promise<string | undefined>;
  setCheckpoint(name: string, value: string): Promise<void>;
  /** Teams calls, so pacing holds across instances and restarts: recorded before each send. */
  recordSend(send: Send): Promise<void>;
  /** Sends at or after `since` (epoch ms), oldest first. Older ones may be forgotten (keep ≥ 1 hour). */
  recentSends(since: number): Promise<Send[]>;
}

/** A backend: every part and the coordination, with the figures and health an operator reads, on one durable store. */
export interface LeadStore
  extends Leads,
    Deliveries,
    Events,
    Installations,
    Settings,
    AutoAssignments,
    Coordination {
  stats(): Promise<StoreStats>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
