import { ConflictError } from '../errors.js';
import type { Lead } from '../leads/lead.js';
import type { LeadStore } from '../leads/store.js';

export interface MigrationReport {
  /** Leads in the source store. */
  leads: number;
  /** Copied by this run. */
  copied: number;
  /** Already in the target as they are (an earlier, interrupted run copied them). */
  alreadyThere: number;
  /** In the target at an older version (the source changed after an earlier run): replaced. */
  updated: number;
  installations: number;
  digests: number;
  /** The target's own count once done: what its /healthz will say. */
  targetLeads: number;
}

export interface MigrationOptions {
  /** Called after each lead with how many are done of how many. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Leads copied at once (default 8). */
  concurrency?: number;
}

/**
 * Copies everything one store holds into another: leads as they are (id, version, history, card
 * bookkeeping), installations, routing and digests. Idempotent, so an interrupted run is resumed
 * by running it again: a lead already in the target at the same version is left alone, one at an
 * older version is brought up to date, and nothing is ever copied twice (the target refuses a
 * taken id). The source is read, never changed.
 */
export async function migrateStore(from: LeadStore, to: LeadStore, options: MigrationOptions = {}) {
  const report: MigrationReport = {
    leads: 0,
    copied: 0,
    alreadyThere: 0,
    updated: 0,
    installations: 0,
    digests: 0,
    targetLeads: 0,
  };
  // Settings first: a target that serves traffic right after knows its teams and channels.
  for (const installation of await from.listInstallations()) {
    await to.putInstallation(installation);
    report.installations++;
  }
  const routing = await from.getRouting();
  if (routing.defaultChannel || Object.keys(routing.byStorefront).length > 0) await to.setRouting(routing);
  for (const digest of await from.listDigests()) {
    await to.putDigest(digest);
    report.digests++;
  }

  const leads = await from.listLeads();
  report.leads = leads.length;
  // A few at a time: a remote target's round trips overlap, and arrival order barely moves.
  const window = options.concurrency ?? 8;
  for (let start = 0; start < leads.length; start += window) {
    options.signal?.throwIfAborted();
    const outcomes = await Promise.all(leads.slice(start, start + window).map((lead) => copyLead(to, lead)));
    for (const outcome of outcomes) report[outcome]++;
    options.onProgress?.(Math.min(start + window, leads.length), leads.length);
  }
  report.targetLeads = (await to.stats()).leads;
  return report;
}

async function copyLead(to: LeadStore, lead: Lead): Promise<'copied' | 'alreadyThere' | 'updated'> {
  let there = await to.getLead(lead.id);
  if (!there) {
    try {
      await to.createLead(lead);
      return 'copied';
    } catch (error) {
      // The same lead from an earlier run whose answer was lost on the way: carry on with it.
      if (!(error instanceof ConflictError) || (error.current as Lead | undefined)?.id !== lead.id)
        throw error;
      there = error.current as Lead;
    }
  }
  if (there.version >= lead.version) return 'alreadyThere';
  await to.saveLead(lead, there.version);
  await copyBookkeeping(to, lead);
  return 'updated';
}

/**
 * saveLead keeps the target's bookkeeping (a save must not undo a card posted meanwhile), but here
 * the source is the truth: its cards, reminders and announcements are applied as patches.
 */
async function copyBookkeeping(to: LeadStore, lead: Lead): Promise<void> {
  const saved = await to.getLead(lead.id);
  const known = new Set(saved?.deliveries.map((d) => d.conversationId));
  for (const delivery of lead.deliveries) {
    if (known.has(delivery.conversationId))
      await to.updateDelivery(lead.id, delivery.conversationId, delivery);
    else await to.addDeliveries(lead.id, [delivery]);
  }
  if (lead.reminders) await to.updateReminders(lead.id, lead.reminders);
  for (const [index, repeat] of (lead.repeats ?? []).entries()) {
    const { announce, announcedIn, nextAttemptAt, attempts } = repeat;
    await to.updateRepeat(lead.id, index, { announce, announcedIn, nextAttemptAt, attempts });
  }
}
