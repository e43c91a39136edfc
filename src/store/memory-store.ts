import { ConflictError, NotFoundError } from '../errors.js';
import type { AutoAssign, Away } from '../leads/auto-assign-data.js';
import {
  keepBookkeeping,
  patchDelivery,
  patchOwnerNotice,
  patchReminders,
  patchRepeat,
  requeueFailed,
  withDeliveries,
} from '../leads/bookkeeping.js';
import { type EventEndpoint, patchEventCursor, requireEndpoint } from '../leads/event-cursor.js';
import type { Delivery, EventCursor, Lead, OwnerNotice, RepeatSighting } from '../leads/lead.js';
import { isClosed, isOpen } from '../leads/lifecycle.js';
import { receivedIn } from '../leads/period.js';
import { findLeads } from '../leads/queries.js';
import { RollupBook } from '../leads/rollup-book.js';
import type { RollupCell } from '../leads/rollups.js';
import type {
  ChannelBacklog,
  DigestSubscription,
  EventEndpointStats,
  Installation,
  LeadStore,
  Routing,
  Send,
  StoreHealth,
  StoreStats,
} from '../leads/store.js';
import { DeliveryIndex } from './delivery-index.js';
import { EventIndex } from './event-index.js';
import { MemoryCoordination } from './memory-coordination.js';

/**
 * The store contract kept in memory only: for tests and scripts that want a real store without a
 * disk. It passes the same contract suite as the embedded store (test/store/contract.spec.ts).
 * Values are copied in and out, as a store over a wire would, so callers cannot change it behind
 * its back.
 */
export class MemoryStore implements LeadStore {
  /** In arrival order: a Map keeps the order in which ids were first set. */
  private readonly leads = new Map<string, Lead>();
  private readonly byFingerprint = new Map<string, string>();
  private readonly arrival = new Map<string, number>();
  private readonly deliveries = new DeliveryIndex((leads) =>
    leads.sort((a, b) => (this.arrival.get(a.id) ?? 0) - (this.arrival.get(b.id) ?? 0)),
  );
  private readonly events = new EventIndex();
  private eventEndpoints: EventEndpoint[] = [];
  private installations: Installation[] = [];
  private digests: DigestSubscription[] = [];
  private routing: Routing = { byStorefront: {} };
  private readonly autoAssign = new Map<string, AutoAssign>();
  private readonly away = new Map<string, Away>();
  private readonly coordination = new MemoryCoordination();
  /** Summary rollups, built from the leads when first asked for (or in another time zone). */
  private rollups: RollupBook | undefined;

  async createLead(lead: Lead): Promise<Lead> {
    const holder = this.leads.get(this.byFingerprint.get(lead.fingerprint) ?? lead.id);
    if (holder) throw new ConflictError(`Lead ${holder.id} has this id or payload already.`, copy(holder));
    this.arrival.set(lead.id, this.arrival.size);
    this.put(copy(lead));
    return copy(lead);
  }

  async getLead(id: string): Promise<Lead | undefined> {
    const lead = this.leads.get(id);
    return lead && copy(lead);
  }

  async findByEmail(email: string): Promise<Lead[]> {
    const wanted = email.toLowerCase();
    return [...this.leads.values()].filter((l) => l.customer.email.toLowerCase() === wanted).map(copy);
  }

  async findByFingerprint(fingerprint: string): Promise<Lead | undefined> {
    const id = this.byFingerprint.get(fingerprint);
    return id === undefined ? undefined : this.getLead(id);
  }

  async listLeads(): Promise<Lead[]> {
    return [...this.leads.values()].map(copy);
  }

  async listOpenLeads(): Promise<Lead[]> {
    return [...this.leads.values()].filter(isOpen).map(copy);
  }

  async listClosedLeads(): Promise<Lead[]> {
    return [...this.leads.values()].filter((lead) => isClosed(lead) && !lead.erased).map(copy);
  }

  async searchLeads(text: string): Promise<Lead[]> {
    return findLeads([...this.leads.values()], text).map(copy);
  }

  async listLeadsReceived(from: Date, to: Date): Promise<Lead[]> {
    return [...this.leads.values()].filter(receivedIn(from, to)).map(copy);
  }

  async rollupCells(fromDay: string, toDay: string, timeZone: string): Promise<RollupCell[]> {
    if (this.rollups?.timeZone !== timeZone) this.rollups = RollupBook.rebuild(this.leads.values(), timeZone);
    return this.rollups.between(fromDay, toDay);
  }

  async saveLead(lead: Lead, expectedVersion: number): Promise<Lead> {
    const current = this.require(lead.id);
    if (current.version !== expectedVersion)
      throw new ConflictError(`Lead ${lead.id} changed (version ${current.version}).`, copy(current));
    const saved = { ...keepBookkeeping(copy(lead), current), version: expectedVersion + 1 };
    this.put(copy(saved));
    return copy(saved);
  }

  async updateDelivery(
    leadId: string,
    conversationId: string,
    patch: Partial<Delivery>,
    ifVersion?: number,
  ): Promise<Lead> {
    return this.bookkeep(patchDelivery(this.require(leadId), conversationId, patch, ifVersion));
  }

  async updateOwnerNotice(leadId: string, forVersion: number, patch: Partial<OwnerNotice>): Promise<Lead> {
    return this.bookkeep(patchOwnerNotice(this.require(leadId), forVersion, patch));
  }

  async updateReminders(leadId: string, patch: NonNullable<Lead['reminders']>): Promise<Lead> {
    return this.bookkeep(patchReminders(this.require(leadId), patch));
  }

  async updateRepeat(leadId: string, index: number, patch: Partial<RepeatSighting>): Promise<Lead> {
    return this.bookkeep(patchRepeat(this.require(leadId), index, patch));
  }

  async addDeliveries(leadId: string, deliveries: Delivery[]): Promise<Lead> {
    return this.bookkeep(withDeliveries(this.require(leadId), deliveries));
  }

  async retryFailedDeliveries(teamId: string): Promise<number> {
    const changed = this.deliveries
      .withFailedDeliveries()
      .flatMap((lead) => requeueFailed(lead, teamId) ?? []);
    for (const lead of changed) this.bookkeep(lead);
    return changed.length;
  }

  async pendingByChannel(limit: number): Promise<ChannelBacklog[]> {
    return this.deliveries.pendingByChannel(limit).map((b) => ({ ...b, leads: b.leads.map(copy) }));
  }

  async listOwedUpdates(): Promise<Lead[]> {
    return this.deliveries.owedUpdates().map(copy);
  }

  async listUndelivered(): Promise<Lead[]> {
    return this.deliveries.withoutDelivery().map(copy);
  }

  async listOwedAnnouncements(): Promise<Lead[]> {
    return this.deliveries.owedAnnouncements().map(copy);
  }

  async listOwedEvents(endpointKey: string, limit: number): Promise<Lead[]> {
    return this.events.owedTo(endpointKey, limit).map(copy);
  }

  async updateEventCursor(leadId: string, endpointKey: string, patch: Partial<EventCursor>): Promise<Lead> {
    const lead = this.require(leadId);
    return this.bookkeep(patchEventCursor(lead, requireEndpoint(this.eventEndpoints, endpointKey), patch));
  }

  async eventStats(): Promise<EventEndpointStats[]> {
    return this.events.stats();
  }

  async listEventEndpoints(): Promise<EventEndpoint[]> {
    return this.eventEndpoints.map(copy);
  }

  async putEventEndpoint(endpoint: EventEndpoint): Promise<void> {
    this.setEndpoints([...this.eventEndpoints.filter((e) => e.key !== endpoint.key), copy(endpoint)]);
  }

  async removeEventEndpoint(key: string): Promise<void> {
    this.setEndpoints(this.eventEndpoints.filter((e) => e.key !== key));
  }

  async putInstallation(installation: Installation): Promise<void> {
    this.installations = [
      ...this.installations.filter((i) => i.teamId !== installation.teamId),
      copy(installation),
    ];
  }

  async getInstallation(teamId: string): Promise<Installation | undefined> {
    const installation = this.installations.find((i) => i.teamId === teamId);
    return installation && copy(installation);
  }

  async listInstallations(): Promise<Installation[]> {
    return this.installations.map(copy);
  }

  async removeInstallation(teamId: string): Promise<void> {
    this.installations = this.installations.filter((i) => i.teamId !== teamId);
  }

  async listDigests(): Promise<DigestSubscription[]> {
    return this.digests.map(copy);
  }

  async putDigest(digest: DigestSubscription): Promise<void> {
    this.digests = [...this.digests.filter((d) => d.conversationId !== digest.conversationId), copy(digest)];
  }

  async removeDigest(conversationId: string): Promise<boolean> {
    const before = this.digests.length;
    this.digests = this.digests.filter((d) => d.conversationId !== conversationId);
    return this.digests.length < before;
  }

  async getRouting(): Promise<Routing> {
    return copy(this.routing);
  }

  async getAutoAssign(teamId: string): Promise<AutoAssign | undefined> {
    const found = this.autoAssign.get(teamId);
    return found && copy(found);
  }

  async updateAutoAssign(
    teamId: string,
    change: (current: AutoAssign | undefined) => AutoAssign | undefined,
  ): Promise<AutoAssign | undefined> {
    const current = this.autoAssign.get(teamId);
    const next = change(current && copy(current));
    if (next) this.autoAssign.set(teamId, copy({ ...next, teamId }));
    return this.getAutoAssign(teamId);
  }

  async listAway(): Promise<Away[]> {
    return [...this.away.values()].map(copy);
  }

  async putAway(away: Away): Promise<void> {
    this.away.set(away.aadObjectId, copy(away));
  }

  async removeAway(aadObjectId: string): Promise<boolean> {
    return this.away.delete(aadObjectId);
  }

  async setRouting(routing: Routing): Promise<void> {
    this.routing = copy(routing);
  }

  acquireLease(name: string, holder: string, ttlMs: number, now?: Date): Promise<boolean> {
    return this.coordination.acquireLease(name, holder, ttlMs, now);
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return this.coordination.releaseLease(name, holder);
  }

  getCheckpoint(name: string): Promise<string | undefined> {
    return this.coordination.getCheckpoint(name);
  }

  setCheckpoint(name: string, value: string): Promise<void> {
    return this.coordination.setCheckpoint(name, value);
  }

  recordSend(send: Send): Promise<void> {
    return this.coordination.recordSend(send);
  }

  recentSends(since: number): Promise<Send[]> {
    return this.coordination.recentSends(since);
  }

  async stats(): Promise<StoreStats> {
    return { leads: this.leads.size, ...this.deliveries.counts(), installations: this.installations.length };
  }

  async health(): Promise<StoreHealth> {
    return { status: 'ok' };
  }

  async close(): Promise<void> {}

  private require(id: string): Lead {
    const lead = this.leads.get(id);
    if (!lead) throw new NotFoundError(`No lead ${id}.`);
    return lead;
  }

  private setEndpoints(endpoints: EventEndpoint[]): void {
    this.eventEndpoints = endpoints;
    if (this.events.differs(endpoints)) this.events.setEndpoints(endpoints, this.leads.values());
    else this.events.replaceEndpoints(endpoints);
  }

  /** Bookkeeping: the version stays, so the posted card stays current. */
  private bookkeep(saved: Lead): Lead {
    this.put(copy(saved));
    return copy(saved);
  }

  private put(lead: Lead): void {
    this.rollups?.apply(this.leads.get(lead.id), lead);
    this.deliveries.track(lead, !this.leads.has(lead.id));
    this.events.track(lead);
    this.leads.set(lead.id, lead);
    this.byFingerprint.set(lead.fingerprint, lead.id);
    for (const repeat of lead.repeats ?? []) this.byFingerprint.set(repeat.fingerprint, lead.id);
  }
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
