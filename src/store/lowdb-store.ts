import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { ConflictError, NotFoundError, StorageError } from '../errors.js';
import { type Delivery, type IncomingLead, type Lead, owesCardUpdate } from '../leads/lead.js';
import { DurableJsonFile } from './durable-json-file.js';
import { LeadPartitions, type PartitionOptions } from './lead-partitions.js';
import type {
  DigestSubscription,
  InsertResult,
  Installation,
  LeadStore,
  Routing,
  StoreStats,
} from './lead-store.js';
import { WriteCoalescer } from './write-coalescer.js';

/** The small file: where the bot is installed, routing, digests. Leads live in `leads/YYYY-MM.json`. */
interface Meta {
  schema: 2;
  installations: Installation[];
  routing: Routing;
  digests: DigestSubscription[];
}

/** Version 1 kept the leads in the same file; opening it moves them out. */
interface MetaV1 extends Omit<Meta, 'schema' | 'digests'> {
  schema: 1;
  leads: Lead[];
  digests?: DigestSubscription[];
}

const FILE_NAME = 'lead-assistant.json';
const MAX_ID_ATTEMPTS = 20;

/** The embedded default store: readable JSON files in DATA_DIR, everything kept in memory. */
export class LowdbStore implements LeadStore {
  private readonly byId = new Map<string, Lead>();
  private readonly byFingerprint = new Map<string, Lead>();
  /** e-mail → lead ids; may hold ids whose e-mail changed (erased), so callers re-check. */
  /** An id, or ids for the few repeat buyers: a Set per e-mail costs megabytes at 100k leads. */
  private readonly byEmail = new Map<string, string | string[]>();
  /**
   * Leads with a card pending, failed or owed an update: the outbox and /healthz ask often, and
   * nearly all history is posted and current.
   */
  private readonly unposted = new Map<string, Lead>();
  private readonly writes: WriteCoalescer;

  private constructor(
    private readonly db: Low<Meta>,
    private readonly leads: LeadPartitions,
  ) {
    this.writes = new WriteCoalescer(() => this.db.write());
    for (const lead of leads.all()) this.index(lead);
  }

  static async open(dataDir: string, options: PartitionOptions = {}): Promise<LowdbStore> {
    await mkdir(dataDir, { recursive: true });
    const path = join(dataDir, FILE_NAME);
    const db = new Low<Meta | MetaV1>(new DurableJsonFile<Meta | MetaV1>(path), emptyMeta());
    await db.read();
    const partitions = await LeadPartitions.open(join(dataDir, 'leads'), options);
    if (db.data.schema === 1 && Array.isArray(db.data.leads)) {
      // Leads are durable in their month files before the old file stops holding them.
      await copyFile(path, `${path}.v1.bak`);
      await partitions.putAll(db.data.leads);
      const { leads: _moved, ...rest } = db.data;
      db.data = { ...rest, schema: 2, digests: rest.digests ?? [] };
      await db.write();
    }
    if (db.data.schema !== 2) {
      throw new StorageError(`${path} is not a Lead Assistant data file (schema ${String(db.data.schema)}).`);
    }
    return new LowdbStore(db as Low<Meta>, partitions);
  }

  async insertLead(incoming: IncomingLead, build: (incoming: IncomingLead) => Lead): Promise<InsertResult> {
    const known = this.byFingerprint.get(incoming.fingerprint);
    if (known) {
      await this.leads.durable(known);
      return { lead: known, created: false };
    }
    const lead = this.buildWithUniqueId(incoming, build);
    await this.store(lead);
    return { lead, created: true };
  }

  async findByEmail(email: string): Promise<Lead[]> {
    const wanted = email.toLowerCase();
    const ids = this.byEmail.get(wanted) ?? [];
    return (typeof ids === 'string' ? [ids] : ids)
      .map((id) => this.byId.get(id))
      .filter((lead): lead is Lead => lead !== undefined && lead.customer.email.toLowerCase() === wanted);
  }

  async findByFingerprint(fingerprint: string): Promise<Lead | undefined> {
    return this.byFingerprint.get(fingerprint);
  }

  async getLead(id: string): Promise<Lead | undefined> {
    return this.byId.get(id);
  }

  async listLeads(): Promise<Lead[]> {
    return this.leads.all();
  }

  async listLeadsReceived(from: Date, to: Date): Promise<Lead[]> {
    return this.leads.receivedBetween(from, to);
  }

  async saveLead(lead: Lead, expectedVersion: number): Promise<Lead> {
    const current = this.requireLead(lead.id);
    if (current.version !== expectedVersion) {
      throw new ConflictError(`Lead ${lead.id} changed (version ${current.version}).`, current);
    }
    const saved = { ...lead, version: expectedVersion + 1 };
    await this.store(saved);
    return saved;
  }

  async updateDelivery(leadId: string, conversationId: string, patch: Partial<Delivery>): Promise<Lead> {
    const current = this.requireLead(leadId);
    if (!current.deliveries.some((d) => d.conversationId === conversationId)) {
      throw new NotFoundError(`Lead ${leadId} has no delivery to ${conversationId}.`);
    }
    const deliveries = current.deliveries.map((d) =>
      d.conversationId === conversationId ? { ...d, ...patch } : d,
    );
    const saved = { ...current, deliveries };
    await this.store(saved);
    return saved;
  }

  async updateReminders(leadId: string, patch: NonNullable<Lead['reminders']>): Promise<Lead> {
    const current = this.requireLead(leadId);
    const saved = { ...current, reminders: { ...current.reminders, ...patch } };
    await this.store(saved);
    return saved;
  }

  async addDeliveries(leadId: string, deliveries: Delivery[]): Promise<Lead> {
    const current = this.requireLead(leadId);
    const known = new Set(current.deliveries.map((d) => d.conversationId));
    const added = deliveries.filter((d) => !known.has(d.conversationId));
    const saved = { ...current, deliveries: [...current.deliveries, ...added] };
    await this.store(saved);
    return saved;
  }

  async retryFailedDeliveries(teamId: string): Promise<number> {
    const changed: Lead[] = [];
    for (const lead of this.unposted.values()) {
      if (!lead.deliveries.some((d) => d.teamId === teamId && d.state === 'failed')) continue;
      const deliveries = lead.deliveries.map((d): Delivery => {
        if (d.teamId !== teamId || d.state !== 'failed') return d;
        const { nextAttemptAt: _next, ...rest } = d;
        return { ...rest, state: 'pending', attempts: 0 };
      });
      changed.push({ ...lead, deliveries });
    }
    for (const lead of changed) this.index(lead);
    await this.leads.putAll(changed);
    return changed.length;
  }

  async listPendingDeliveries(): Promise<Lead[]> {
    const pending = [...this.unposted.values()].filter((lead) =>
      lead.deliveries.some((d) => d.state === 'pending'),
    );
    return this.leads.inArrivalOrder(pending);
  }

  async listOwedUpdates(): Promise<Lead[]> {
    return [...this.unposted.values()].filter((lead) => lead.deliveries.some(owesCardUpdate));
  }

  async putInstallation(installation: Installation): Promise<void> {
    const others = this.db.data.installations.filter((i) => i.teamId !== installation.teamId);
    this.db.data.installations = [...others, installation];
    await this.writes.persist();
  }

  async getInstallation(teamId: string): Promise<Installation | undefined> {
    return this.db.data.installations.find((i) => i.teamId === teamId);
  }

  async listInstallations(): Promise<Installation[]> {
    return [...this.db.data.installations];
  }

  async removeInstallation(teamId: string): Promise<void> {
    this.db.data.installations = this.db.data.installations.filter((i) => i.teamId !== teamId);
    await this.writes.persist();
  }

  async listDigests(): Promise<DigestSubscription[]> {
    return [...this.db.data.digests];
  }

  async putDigest(digest: DigestSubscription): Promise<void> {
    const others = this.db.data.digests.filter((d) => d.conversationId !== digest.conversationId);
    this.db.data.digests = [...others, digest];
    await this.writes.persist();
  }

  async removeDigest(conversationId: string): Promise<boolean> {
    const before = this.db.data.digests;
    this.db.data.digests = before.filter((d) => d.conversationId !== conversationId);
    await this.writes.persist();
    return this.db.data.digests.length < before.length;
  }

  async getRouting(): Promise<Routing> {
    return structuredClone(this.db.data.routing);
  }

  async setRouting(routing: Routing): Promise<void> {
    this.db.data.routing = structuredClone(routing);
    await this.writes.persist();
  }

  async stats(): Promise<StoreStats> {
    let pending = 0;
    let failed = 0;
    for (const lead of this.unposted.values()) {
      for (const d of lead.deliveries) {
        if (d.state === 'pending') pending++;
        if (d.state === 'failed') failed++;
      }
    }
    return {
      leads: this.byId.size,
      pendingDeliveries: pending,
      failedDeliveries: failed,
      installations: this.db.data.installations.length,
    };
  }

  /** Resolves once nothing is being written, background compactions included. */
  async settled(): Promise<void> {
    await this.writes.idle();
    await this.leads.idle();
  }

  async close(): Promise<void> {
    await this.writes.idle();
    await this.leads.close();
  }

  private buildWithUniqueId(incoming: IncomingLead, build: (incoming: IncomingLead) => Lead): Lead {
    for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      const lead = build(incoming);
      if (!this.byId.has(lead.id)) return lead;
    }
    throw new StorageError(`Could not find a free lead id after ${MAX_ID_ATTEMPTS} attempts.`);
  }

  private requireLead(id: string): Lead {
    const lead = this.byId.get(id);
    if (!lead) throw new NotFoundError(`No lead ${id}.`);
    return lead;
  }

  /** Memory first (synchronously, so concurrent callers see it), then the lead's month file. */
  private store(lead: Lead): Promise<void> {
    this.index(lead);
    return this.leads.put(lead);
  }

  private index(lead: Lead): void {
    this.byId.set(lead.id, lead);
    if (lead.deliveries.some((d) => d.state !== 'posted' || owesCardUpdate(d)))
      this.unposted.set(lead.id, lead);
    else this.unposted.delete(lead.id);
    this.byFingerprint.set(lead.fingerprint, lead);
    for (const repeat of lead.repeats ?? []) this.byFingerprint.set(repeat.fingerprint, lead);
    const email = lead.customer.email.toLowerCase();
    if (email) {
      const ids = this.byEmail.get(email);
      if (ids === undefined) this.byEmail.set(email, lead.id);
      else if (typeof ids === 'string') {
        if (ids !== lead.id) this.byEmail.set(email, [ids, lead.id]);
      } else if (!ids.includes(lead.id)) ids.push(lead.id);
    }
  }
}

function emptyMeta(): Meta {
  return { schema: 2, installations: [], routing: { byStorefront: {} }, digests: [] };
}
