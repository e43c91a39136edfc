import { type Lead, owesAnnouncement, owesChangeToTeams, owesOwnerNotice } from '../leads/lead.js';
import type { ChannelBacklog } from '../leads/store.js';

/** One channel's leads with a card pending, oldest first once `sorted`. */
interface ChannelQueue {
  leads: Map<string, Lead>;
  /** False after a lead joined out of arrival order; sorted on the next read. */
  sorted: boolean;
  /** The latest month a lead joined in order from: a new lead of this month or later goes last. */
  lastMonth: string;
}

const monthOf = (lead: Lead) => lead.receivedAt.slice(0, 7);

/**
 * The leads the outbox and /healthz ask about, kept up to date as each lead changes, so a backlog
 * costs per card posted, not per lead received: per channel the leads with a card pending in
 * arrival order, the leads with a failed card, those owed a card update or an owner's notice, and
 * the counts.
 */
export class DeliveryIndex {
  /** Every lead held here, as last tracked: what a change is compared with. */
  private readonly tracked = new Map<string, Lead>();
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly failed = new Map<string, Lead>();
  private readonly owed = new Map<string, Lead>();
  private readonly announcements = new Map<string, Lead>();
  /** No card anywhere, or only cards Teams refused for good: waiting for a (new) lead channel. */
  private readonly undelivered = new Map<string, Lead>();
  private failedDeliveries = 0;
  /** Leads forgotten (a change rolled back): if one comes back, it did not arrive last. */
  private readonly forgotten = new Set<string>();

  /** `inArrivalOrder` sorts leads by month, then by position within the month (LeadPartitions). */
  constructor(private readonly inArrivalOrder: (leads: Lead[]) => Lead[]) {}

  /**
   * Records the lead as it is now. `arrivedLast`: no lead was stored after it (a new lead), so in
   * its channels it can go last without a sort.
   */
  track(lead: Lead, arrivedLast: boolean): void {
    const before = this.tracked.get(lead.id);
    // Nearly all history: every card posted and current, nothing owed. Loading 100,000 leads
    // at start goes through here, so it is decided without building anything.
    if (!before && !this.forgotten.has(lead.id) && isSettled(lead)) return;
    if (this.forgotten.delete(lead.id)) arrivedLast = false;
    const pending = new Set(
      lead.deliveries.filter((d) => d.state === 'pending').map((d) => d.conversationId),
    );
    for (const d of before?.deliveries ?? [])
      if (d.state === 'pending' && !pending.has(d.conversationId)) this.leave(d.conversationId, lead.id);
    for (const channel of pending) this.join(channel, lead, arrivedLast);
    this.failedDeliveries += countFailed(lead) - (before ? countFailed(before) : 0);
    setIf(this.failed, lead, countFailed(lead) > 0);
    setIf(this.owed, lead, owesChangeToTeams(lead));
    setIf(this.announcements, lead, owesAnnouncement(lead));
    setIf(
      this.undelivered,
      lead,
      lead.deliveries.every((d) => d.state === 'failed'),
    );
    setIf(
      this.tracked,
      lead,
      pending.size > 0 ||
        this.failed.has(lead.id) ||
        this.owed.has(lead.id) ||
        this.announcements.has(lead.id) ||
        this.undelivered.has(lead.id),
    );
  }

  /**
   * Drops the lead from every list (a change rolled back before it reached disk). Tracking it
   * again later sorts it back into its place.
   */
  forget(leadId: string): void {
    this.forgotten.add(leadId);
    const before = this.tracked.get(leadId);
    if (!before) return;
    for (const d of before.deliveries) if (d.state === 'pending') this.leave(d.conversationId, leadId);
    this.failedDeliveries -= countFailed(before);
    this.failed.delete(leadId);
    this.owed.delete(leadId);
    this.announcements.delete(leadId);
    this.undelivered.delete(leadId);
    this.tracked.delete(leadId);
  }

  /** Per channel: its pending count and its `limit` oldest leads. Costs O(channels × limit). */
  pendingByChannel(limit: number): ChannelBacklog[] {
    const backlogs: ChannelBacklog[] = [];
    for (const [conversationId, queue] of this.queues) {
      if (!queue.sorted) this.sort(queue);
      const leads: Lead[] = [];
      for (const lead of queue.leads.values()) {
        if (leads.length >= limit) break;
        leads.push(lead);
      }
      backlogs.push({ conversationId, pending: queue.leads.size, leads });
    }
    return backlogs;
  }

  owedUpdates(): Lead[] {
    return [...this.owed.values()];
  }

  withoutDelivery(): Lead[] {
    return [...this.undelivered.values()];
  }

  owedAnnouncements(): Lead[] {
    return [...this.announcements.values()];
  }

  withFailedDeliveries(): Lead[] {
    return [...this.failed.values()];
  }

  counts(): { pendingDeliveries: number; failedDeliveries: number } {
    let pendingDeliveries = 0;
    for (const queue of this.queues.values()) pendingDeliveries += queue.leads.size;
    return { pendingDeliveries, failedDeliveries: this.failedDeliveries };
  }

  private join(channel: string, lead: Lead, arrivedLast: boolean): void {
    const queue = this.queues.get(channel);
    const month = monthOf(lead);
    if (!queue) {
      this.queues.set(channel, { leads: new Map([[lead.id, lead]]), sorted: true, lastMonth: month });
      return;
    }
    if (queue.leads.has(lead.id)) {
      queue.leads.set(lead.id, lead); // keeps its place
      return;
    }
    if (arrivedLast && month >= queue.lastMonth) queue.lastMonth = month;
    else queue.sorted = false;
    queue.leads.set(lead.id, lead);
  }

  private leave(channel: string, leadId: string): void {
    const queue = this.queues.get(channel);
    if (!queue) return;
    queue.leads.delete(leadId);
    if (queue.leads.size === 0) this.queues.delete(channel);
  }

  private sort(queue: ChannelQueue): void {
    const sorted = this.inArrivalOrder([...queue.leads.values()]);
    queue.leads = new Map(sorted.map((lead) => [lead.id, lead]));
    queue.sorted = true;
    const last = sorted.at(-1);
    if (last) queue.lastMonth = monthOf(last);
  }
}

/** Every card posted and current, nothing owed: a lead the index does not hold. */
export function isSettled(lead: Lead): boolean {
  if (lead.deliveries.length === 0) return false;
  for (const d of lead.deliveries) if (d.state !== 'posted' || d.nextAttemptAt !== undefined) return false;
  return !owesAnnouncement(lead) && !owesOwnerNotice(lead);
}

function countFailed(lead: Lead): number {
  let count = 0;
  for (const d of lead.deliveries) if (d.state === 'failed') count++;
  return count;
}

function setIf(map: Map<string, Lead>, lead: Lead, present: boolean): void {
  if (present) map.set(lead.id, lead);
  else map.delete(lead.id);
}
