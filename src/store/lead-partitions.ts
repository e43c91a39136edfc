import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { StorageError } from '../errors.js';
import type { Lead } from '../leads/lead.js';
import { DurableJsonFile } from './durable-json-file.js';
import { WriteCoalescer } from './write-coalescer.js';

interface Partition {
  db: Low<{ leads: Lead[] }>;
  writes: WriteCoalescer;
  /** Position of each lead in `db.data.leads`, so a change is O(1). */
  positions: Map<string, number>;
}

const MONTH_FILE = /^(\d{4}-\d{2})\.json$/;

/**
 * Leads in one readable JSON file per month they arrived (`leads/2026-11.json`), all kept in
 * memory. A change rewrites only its month's file, so history does not slow down today's writes.
 */
export class LeadPartitions {
  private readonly months = new Map<string, Partition>();

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<LeadPartitions> {
    await mkdir(dir, { recursive: true });
    const partitions = new LeadPartitions(dir);
    const files = (await readdir(dir)).filter((f) => MONTH_FILE.test(f)).sort();
    for (const file of files) await partitions.load(file.replace('.json', ''));
    return partitions;
  }

  /** Every lead, oldest month first, in arrival order within a month. */
  all(): Lead[] {
    return [...this.months.keys()].sort().flatMap((month) => this.months.get(month)?.db.data.leads ?? []);
  }

  /** Adds or replaces a lead (in the month it arrived) and resolves once that month is on disk. */
  put(lead: Lead): Promise<void> {
    const month = lead.receivedAt.slice(0, 7);
    // Every month on disk was loaded at open, so a missing one is new: created synchronously,
    // so concurrent puts can never make two partitions for one month.
    const partition = this.months.get(month) ?? this.create(month, { leads: [] });
    const position = partition.positions.get(lead.id);
    if (position === undefined) {
      partition.positions.set(lead.id, partition.db.data.leads.length);
      partition.db.data.leads.push(lead);
    } else {
      partition.db.data.leads[position] = lead;
    }
    return partition.writes.persist();
  }

  /** Puts many leads (e.g. a migration) with one write per month touched. */
  async putAll(leads: Lead[]): Promise<void> {
    await Promise.all(leads.map((lead) => this.put(lead)));
  }

  async idle(): Promise<void> {
    await Promise.all([...this.months.values()].map((p) => p.writes.idle()));
  }

  private async load(month: string): Promise<void> {
    const path = join(this.dir, `${month}.json`);
    const reader = new DurableJsonFile<{ leads: Lead[] }>(path);
    const data = await reader.read();
    if (!data || !Array.isArray(data.leads))
      throw new StorageError(`${path} is not a Lead Assistant month file.`);
    this.create(month, data);
  }

  private create(month: string, data: { leads: Lead[] }): Partition {
    const db = new Low<{ leads: Lead[] }>(new DurableJsonFile(join(this.dir, `${month}.json`)), data);
    db.data = data;
    const positions = new Map(data.leads.map((lead, i) => [lead.id, i]));
    const partition = { db, writes: new WriteCoalescer(() => db.write()), positions };
    this.months.set(month, partition);
    return partition;
  }
}
