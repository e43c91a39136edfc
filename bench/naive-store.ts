// The baseline the bench compares against: lowdb used the obvious way, as in its README. Every
// lead, installation and setting in one JSON file, rewritten whole (by lowdb's own JSONFile) on
// every change, searched by scanning arrays. Correct, and fine for a few hundred leads.
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { ConflictError, NotFoundError } from '../src/errors.js';
import type { AutoAssign, Away } from '../src/leads/auto-assign-data.js';
import {
  patchDelivery,
  patchOwnerNotice,
  patchReminders,
  patchRepeat,
  requeueFailed,
  withDeliveries,
} from '../src/leads/bookkeeping.js';
import {
  type Delivery,
  type Lead,
  type OwnerNotice,
  owesAnnouncement,
  owesChangeToTeams,
  type RepeatSighting,
} from '../src/leads/lead.js';
import { isClosed, isOpen } from '../src/leads/lifecycle.js';
import { receivedIn } from '../src/leads/period.js';
import { findLeads } from '../src/leads/queries.js';
import type {
  ChannelBacklog,
  DigestSubscription,
  EventEndpoint,
  EventEndpointStats,
  Installation,
  LeadStore,
  Routing,
  StoreHealth,
  StoreStats,
} from '../src/leads/store.js';
import { MemoryCoordination } from '../src/store/memory-coordination.js';

export interface NaiveData {
  leads: Lead[];
  installations: Installation[];
  routing: Routing;
  digests: DigestSubscription[];
  autoAssign?: AutoAssign[];
  away?: Away[];
}

/** Leases, checkpoints and sends in memory: the baseline is one process, and the bench measures leads. */
export class NaiveLowdbStore extends MemoryCoordination implements LeadStore {
  private constructor(private readonly db: Low<NaiveData>) {
    super();
  }

  static async open(path: string): Promise<NaiveLowdbStore> {
    const db = new Low<NaiveData>(new JSONFile(path), {
      leads: [],
      installations: [],
      routing: { byStorefront: {} },
      digests: [],
    });
    await db.read();
    return new NaiveLowdbStore(db);
  }

  private get data(): NaiveData {
    return this.db.data;
  }

  async createLead(lead: Lead): Promise<Lead> {
    const known = (await this.findByFingerprint(lead.fingerprint)) ?? (await this.getLead(lead.id));
    if (known) throw new ConflictError(`Lead ${known.id} has this id or payload.`, known);
    this.data.leads.push(lead);
    await this.db.write();
    return lead;
  }

  async getLead(id: string): Promise<Lead | undefined> {
    return this.data.leads.find((l) => l.id === id);
  }

  async findByEmail(email: string): Promise<Lead[]> {
    return this.data.leads.filter((l) => l.customer.email.toLowerCase() === email.toLowerCase());
  }

  async findByFingerprint(fingerprint: string): Promise<Lead | undefined> {
    return this.data.leads.find(
      (l) => l.fingerprint === fingerprint || l.repeats?.some((r) => r.fingerprint === fingerprint),
    );
  }

  async listLeads(): Promise<Lead[]> {
    return [...this.data.leads];
  }

  async listOpenLeads(): Promise<Lead[]> {
    return this.data.leads.filter(isOpen);
  }

  async listClosedLeads(): Promise<Lead[]> {
    return this.data.leads.filter((lead) => isClosed(lead) && !lead.erased);
  }

  async searchLeads(text: string): Promise<Lead[]> {
    return findLeads(this.data.leads, text);
  }

  async listLeadsReceived(from: Date, to: Date): Promise<Lead[]> {
    return this.data.leads.filter(receivedIn(from, to));
  }

  async saveLead(lead: Lead, expectedVersion: number): Promise<Lead> {
    const current = this.require(lead.id);
    if (current.version !== expectedVersion)
      throw new ConflictError(`Lead ${lead.id} changed (version ${current.version}).`, current);
    return this.replace({ ...lead, version: expectedVersion + 1 });
  }

  async updateDelivery(
    leadId: string,
    conversationId: string,
    patch: Partial<Delivery>,
    ifVersion?: number,
  ): Promise<Lead> {
    return this.replace(patchDelivery(this.require(leadId), conversationId, patch, ifVersion));
  }

  async updateOwnerNotice(leadId: string, forVersion: number, patch: Partial<OwnerNotice>): Promise<Lead> {
    return this.replace(patchOwnerNotice(this.require(leadId), forVersion, patch));
  }

  async updateReminders(leadId: string, patch: NonNullable<Lead['reminders']>): Promise<Lead> {
    return this.replace(patchReminders(this.require(leadId), patch));
  }

  async updateRepeat(leadId: string, index: number, patch: Partial<RepeatSighting>): Promise<Lead> {
    return this.replace(patchRepeat(this.require(leadId), index, patch));
  }

  async listUndelivered(): Promise<Lead[]> {
    return this.data.leads.filter((lead) => lead.deliveries.every((d) => d.state === 'failed'));
  }

  // The baseline has no lead events: nothing is ever owed, nothing is configured.
  async listOwedEvents(): Promise<Lead[]> {
    return [];
  }

  async updateEventCursor(leadId: string): Promise<Lead> {
    const lead = await this.getLead(leadId);
    if (!lead) throw new Error(`No lead ${leadId}.`);
    return lead;
  }

  async eventStats(): Promise<EventEndpointStats[]> {
    return [];
  }

  async listEventEndpoints(): Promise<EventEndpoint[]> {
    return [];
  }

  async putEventEndpoint(): Promise<void> {
    throw new Error('The naive baseline store does not keep lead events.');
  }

  async removeEventEndpoint(): Promise<void> {}

  async listOwedAnnouncements(): Promise<Lead[]> {
    return this.data.leads.filter(owesAnnouncement);
  }

  async addDeliveries(leadId: string, deliveries: Delivery[]): Promise<Lead> {
    return this.replace(withDeliveries(this.require(leadId), deliveries));
  }

  async retryFailedDeliveries(teamId: string): Promise<number> {
    let count = 0;
    this.data.leads = this.data.leads.map((lead) => {
      const requeued = requeueFailed(lead, teamId);
      if (requeued) count++;
      return requeued ?? lead;
    });
    await this.db.write();
    return count;
  }

  async pendingByChannel(limit: number): Promise<ChannelBacklog[]> {
    const queues = new Map<string, ChannelBacklog>();
    for (const lead of this.data.leads)
      for (const d of lead.deliveries) {
        if (d.state !== 'pending') continue;
        const queue = queues.get(d.conversationId) ?? {
          conversationId: d.conversationId,
          pending: 0,
          leads: [],
        };
        queue.pending++;
        if (queue.leads.length < limit) queue.leads.push(lead);
        queues.set(d.conversationId, queue);
      }
    return [...queues.values()];
  }

  async listOwedUpdates(): Promise<Lead[]> {
    return this.data.leads.filter(owesChangeToTeams);
  }

  async putInstallation(installation: Installation): Promise<void> {
    this.data.installations = [
      ...this.data.installations.filter((i) => i.teamId !== installation.teamId),
      installation,
    ];
    await this.db.write();
  }

  async getInstallation(teamId: string): Promise<Installation | undefined> {
    return this.data.installations.find((i) => i.teamId === teamId);
  }

  async listInstallations(): Promise<Installation[]> {
    return [...this.data.installations];
  }

  async removeInstallation(teamId: string): Promise<void> {
    this.data.installations = this.data.installations.filter((i) => i.teamId !== teamId);
    await this.db.write();
  }

  async listDigests(): Promise<DigestSubscription[]> {
    return [...this.data.digests];
  }

  async putDigest(digest: DigestSubscription): Promise<void> {
    this.data.digests = [
      ...this.data.digests.filter((d) => d.conversationId !== digest.conversationId),
      digest,
    ];
    await this.db.write();
  }

  async removeDigest(conversationId: string): Promise<boolean> {
    const before = this.data.digests.length;
    this.data.digests = this.data.digests.filter((d) => d.conversationId !== conversationId);
    await this.db.write();
    return this.data.digests.length < before;
  }

  async getRouting(): Promise<Routing> {
    return structuredClone(this.data.routing);
  }

  async setRouting(routing: Routing): Promise<void> {
    this.data.routing = structuredClone(routing);
    await this.db.write();
  }

  // Automatic assignment kept beside the leads, as naively: the baseline never turns it on.
  async getAutoAssign(teamId: string): Promise<AutoAssign | undefined> {
    return structuredClone(this.data.autoAssign?.find((a) => a.teamId === teamId));
  }

  async updateAutoAssign(
    teamId: string,
    change: (current: AutoAssign | undefined) => AutoAssign | undefined,
  ): Promise<AutoAssign | undefined> {
    const next = change(await this.getAutoAssign(teamId));
    if (!next) return this.getAutoAssign(teamId);
    this.data.autoAssign = [...(this.data.autoAssign ?? []).filter((a) => a.teamId !== teamId), next];
    await this.db.write();
    return structuredClone(next);
  }

  async listAway(): Promise<Away[]> {
    return structuredClone(this.data.away ?? []);
  }

  async putAway(away: Away): Promise<void> {
    this.data.away = [...(this.data.away ?? []).filter((a) => a.aadObjectId !== away.aadObjectId), away];
    await this.db.write();
  }

  async removeAway(aadObjectId: string): Promise<boolean> {
    const before = this.data.away?.length ?? 0;
    this.data.away = (this.data.away ?? []).filter((a) => a.aadObjectId !== aadObjectId);
    await this.db.write();
    return this.data.away.length < before;
  }

  async stats(): Promise<StoreStats> {
    const states = this.data.leads.flatMap((l) => l.deliveries.map((d) => d.state));
    return {
      leads: this.data.leads.length,
      pendingDeliveries: states.filter((s) => s === 'pending').length,
      failedDeliveries: states.filter((s) => s === 'failed').length,
      installations: this.data.installations.length,
    };
  }

  async health(): Promise<StoreHealth> {
    return { status: 'ok' };
  }

  async close(): Promise<void> {}

  private require(id: string): Lead {
    const lead = this.data.leads.find((l) => l.id === id);
    if (!lead) throw new NotFoundError(`No lead ${id}.`);
    return lead;
  }

  private async replace(lead: Lead): Promise<Lead> {
    this.data.leads = this.data.leads.map((l) => (l.id === lead.id ? lead : l));
    await this.db.write();
    return lead;
  }
}
