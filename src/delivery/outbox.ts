import {
  type Delivery,
  type Lead,
  type OwnerNotice,
  owesCardUpdate,
  owesOwnerNotice,
  type RepeatSighting,
} from '../leads/lead.js';
import { pendingDelivery, routeLead } from '../leads/routing.js';
import type { ChannelBacklog, Deliveries, Installations, Leads, Routing } from '../leads/store.js';
import { describeError, type Logger } from '../log.js';
import { announceRepeat, updateCard } from './card-updates.js';
import { DrainLoop } from './drain-loop.js';
import { tellOwner } from './owner-notice.js';
import { defaultRetryPolicy, isPermanent, type RetryPolicy, retryDelayMs, statusOf } from './retry-policy.js';
import type { CardPoster, TeamsMessage } from './teams-poster.js';

/** `N`: what a card may carry besides the lead (a notice); delivery passes it to `render` untouched. */
export interface OutboxDeps<N = never> {
  store: Leads & Deliveries & Installations;
  poster: CardPoster;
  render: (lead: Lead, notice?: N) => Promise<TeamsMessage>;
  /** The reply in a lead's thread that says the buyer came back (`repeat`). */
  renderRepeat?: (lead: Lead, repeat: RepeatSighting) => TeamsMessage;
  log: Logger;
  now?: () => Date;
  retry?: RetryPolicy;
  /**
   * A channel's backlog is this long (at Teams' 60 per 30 s, 240 cards take two minutes): post
   * one notice first, so nobody thinks the bot is broken.
   */
  backlogNoticeAt?: number;
  onBacklog?: (teamId: string, channelId: string, count: number) => Promise<void>;
  /**
   * Tells a lead's new owner in a personal chat (absent: nobody is told). False when they cannot
   * be reached (on no roster); throws what Teams answered otherwise.
   */
  tellOwner?: (lead: Lead, notice: OwnerNotice) => Promise<boolean>;
  /** A card Teams refused for good (bot removed, channel deleted): tell somebody. */
  onFailed?: (lead: Lead, delivery: Delivery, error: unknown) => Promise<void>;
}

/** What the outbox's card work (card-updates.ts) uses of it. */
export interface OutboxContext<N> {
  deps: OutboxDeps<N>;
  now: () => Date;
  retry: RetryPolicy;
  kick(): void;
}

/**
 * Cards read per channel per run: more than Teams takes in one go (7 a second per thread), and a
 * run costs the same with 50 or 50,000 waiting.
 */
export const CARDS_PER_RUN = 50;

function retryAt(owed: { nextAttemptAt?: string }): number {
  return owed.nextAttemptAt ? Date.parse(owed.nextAttemptAt) : 0;
}

/**
 * Posts every pending delivery, oldest lead first, one at a time, and brings up to date the posted
 * cards whose update Teams refused. State lives in the store, so a restart resumes where it
 * stopped; a failure only moves `nextAttemptAt`, it never drops a card.
 */
export class Outbox<N = never> {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => Date;
  private readonly retry: RetryPolicy;
  private readonly loop = new DrainLoop({
    drain: () => this.drain(),
    failed: (error) => this.deps.log.error('outbox run failed', { error: describeError(error) }),
    scheduleNext: () => this.scheduleNext(),
    // The lease holder's periodic sweep kicks the outbox again.
    scheduleFailed: (error) =>
      this.deps.log.warn('outbox could not schedule its next run', { error: describeError(error) }),
    mayRun: () => !this.stopped,
  });
  /** Channels whose current backlog was announced; forgotten once they drain. */
  private readonly announced = new Set<string>();

  private readonly context: OutboxContext<N>;

  constructor(private readonly deps: OutboxDeps<N>) {
    this.now = deps.now ?? (() => new Date());
    this.retry = deps.retry ?? defaultRetryPolicy;
    this.context = { deps, now: this.now, retry: this.retry, kick: () => this.kick() };
  }

  /** Something may be due: run now (or right after the current run). */
  kick(): void {
    this.loop.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.loop.current;
  }

  /**
   * Another instance posts now (it holds the background lease): stop after the card in flight.
   * Changes saved here (card updates, owner notices) are on the store: that instance sends them.
   */
  pause(): Promise<void> {
    return this.stop();
  }

  /** This instance posts (again): sweep whatever is pending, queued here or by another instance. */
  resume(): void {
    this.stopped = false;
    this.kick();
  }

  /** Resolves the next time the outbox has nothing left to do right now (for tests and shutdown). */
  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  /** Resolves once nothing is being posted and nothing pending is due (for tests and shutdown). */
  async settled(): Promise<void> {
    for (;;) {
      if (!this.loop.isRunning && (await this.dueWork()) === 0) return;
      await this.whenIdle();
    }
  }

  /** How many cards, owner notices, card updates and announcements are due now. */
  private async dueWork(): Promise<number> {
    return (
      (await this.dueDeliveries()).length +
      (await this.dueNotices()).length +
      (await this.dueUpdates()).length +
      (await this.dueAnnouncements()).length
    );
  }

  private async drain(): Promise<void> {
    for (;;) {
      const queues = await this.deps.store.pendingByChannel(CARDS_PER_RUN);
      const due = dueIn(queues, this.now().getTime());
      await this.announceBacklogs(queues, due);
      let owing = await this.deps.store.listOwedUpdates();
      const notices = this.noticesDue(owing).slice(0, CARDS_PER_RUN);
      const announcements = await this.dueAnnouncements();
      // Owner notices before card updates: a card then says at once if the owner was not told.
      for (const [lead, notice] of notices) {
        if (this.stopped) return;
        await tellOwner(this.context, lead, notice);
      }
      if (notices.length > 0) owing = await this.deps.store.listOwedUpdates();
      // A run's share: new cards and owner notices queued meanwhile go in the next run, not after
      // a whole burst of updates (the tenant's 50 a second is what paces them all).
      const updates = this.updatesDue(owing).slice(0, CARDS_PER_RUN);
      if ((due.length === 0 && updates.length === 0 && announcements.length === 0) || this.stopped) {
        if (notices.length === 0 || this.stopped) return;
        continue;
      }
      const waiting = new Set<string>(); // channels whose card just failed: the rest wait behind it
      for (const [lead, delivery] of due) {
        if (this.stopped) return;
        if (waiting.has(delivery.conversationId)) continue;
        if (!(await this.deliver(lead, delivery))) waiting.add(delivery.conversationId);
      }
      for (const [lead, delivery] of updates) {
        if (this.stopped) return;
        await updateCard(this.context, lead, delivery);
      }
      for (const [lead, index] of announcements) {
        if (this.stopped) return;
        await announceRepeat(this.context, lead, index);
      }
    }
  }

  /** Repeat sightings whose announcement is owed and due: [lead, index of the sighting]. */
  private async dueAnnouncements(): Promise<Array<[Lead, number]>> {
    const now = this.now().getTime();
    return (await this.deps.store.listOwedAnnouncements()).flatMap((lead) =>
      (lead.repeats ?? []).flatMap(
        (r, i): Array<[Lead, number]> => (r.announce === 'owed' && retryAt(r) <= now ? [[lead, i]] : []),
      ),
    );
  }

  /** Once per backlog, as its first cards are about to go: the channel's whole queue counts. */
  private async announceBacklogs(queues: ChannelBacklog[], due: Array<[Lead, Delivery]>): Promise<void> {
    const pending = new Map(queues.map((q) => [q.conversationId, q.pending]));
    for (const channel of this.announced) if (!pending.has(channel)) this.announced.delete(channel);
    const threshold = this.deps.backlogNoticeAt ?? 240;
    const going = new Map(due.map(([, d]) => [d.conversationId, d.teamId]));
    for (const [channel, teamId] of going) {
      const count = pending.get(channel) ?? 0;
      if (count < threshold || this.announced.has(channel)) continue;
      // Announced once it is posted: during an outage it goes with the first card that gets through.
      await this.deps.onBacklog?.(teamId, channel, count).then(
        () => this.announced.add(channel),
        (error) => this.deps.log.warn('backlog notice not posted', { error: describeError(error) }),
      );
    }
  }

  private async dueDeliveries(): Promise<Array<[Lead, Delivery]>> {
    return dueIn(await this.deps.store.pendingByChannel(CARDS_PER_RUN), this.now().getTime());
  }

  private async dueNotices(): Promise<Array<[Lead, OwnerNotice]>> {
    return this.noticesDue(await this.deps.store.listOwedUpdates());
  }

  /** New owners to tell whose notice is due (a change saved it owed: leads/changes.ts). */
  private noticesDue(owing: Lead[]): Array<[Lead, OwnerNotice]> {
    const now = this.now().getTime();
    return owing.flatMap(
      (lead): Array<[Lead, OwnerNotice]> =>
        lead.ownerNotice && owesOwnerNotice(lead) && retryAt(lead.ownerNotice) <= now
          ? [[lead, lead.ownerNotice]]
          : [],
    );
  }

  private async dueUpdates(): Promise<Array<[Lead, Delivery]>> {
    return this.updatesDue(await this.deps.store.listOwedUpdates());
  }

  /** Posted cards owed an update whose retry time has come. */
  private updatesDue(owing: Lead[]): Array<[Lead, Delivery]> {
    const now = this.now().getTime();
    return owing.flatMap((lead) =>
      lead.deliveries
        .filter((d) => owesCardUpdate(d) && retryAt(d) <= now)
        .map((d): [Lead, Delivery] => [lead, d]),
    );
  }

  /** Posts one card; false when it is to be tried again later. */
  private async deliver(lead: Lead, delivery: Delivery): Promise<boolean> {
    const installation = await this.deps.store.getInstallation(delivery.teamId);
    // Only what is on disk is posted: a lead whose write the disk refused was taken back (and
    // answered 503), and one posted meanwhile is not posted twice.
    const current = await this.deps.store.getLead(lead.id);
    const stillPending = current?.deliveries.some(
      (d) => d.conversationId === delivery.conversationId && d.state === 'pending',
    );
    if (!current || !stillPending) return true;
    try {
      if (!installation) throw new Error(`The bot is not installed in team ${delivery.teamId}.`);
      const posted = await this.deps.poster.postToChannel(
        { ...installation, channelId: delivery.conversationId },
        await this.deps.render(current),
      );
      const after = await this.deps.store.updateDelivery(lead.id, delivery.conversationId, {
        state: 'posted',
        activityId: posted.activityId,
        threadId: posted.threadId,
        attempts: delivery.attempts + 1,
        nextAttemptAt: undefined,
        lastError: undefined,
      });
      // Changed while it went (a click on another copy): the card just posted owes that change.
      if (after.version !== current.version)
        await this.deps.store.updateDelivery(lead.id, delivery.conversationId, {
          nextAttemptAt: this.now().toISOString(),
        });
      this.deps.log.info('card posted', { lead: lead.id, channel: delivery.conversationId });
      return true;
    } catch (error) {
      const attempts = delivery.attempts + 1;
      if (isPermanent(error)) {
        // Kept, marked failed, and posted again once the bot is back in the team or a channel is set.
        await this.deps.store.updateDelivery(lead.id, delivery.conversationId, {
          state: 'failed',
          attempts,
          nextAttemptAt: undefined,
          lastError: describeError(error).slice(0, 300),
        });
        this.deps.log.error('card refused by Teams for good; waiting for the bot to be re-added', {
          lead: lead.id,
          status: statusOf(error),
          channel: delivery.conversationId,
        });
        await this.deps
          .onFailed?.(current, delivery, error)
          .catch((notifyError) =>
            this.deps.log.warn('managers not told of the failed card', { error: describeError(notifyError) }),
          );
        return true;
      }
      const delay = retryDelayMs(error, attempts, this.retry);
      const nextAttemptAt = new Date(this.now().getTime() + delay).toISOString();
      await this.deps.store.updateDelivery(lead.id, delivery.conversationId, {
        attempts,
        nextAttemptAt,
        lastError: describeError(error).slice(0, 300),
      });
      this.deps.log.warn('card post failed, will retry', {
        lead: lead.id,
        status: statusOf(error),
        attempts,
        retryInMs: delay,
      });
      return false;
    }
  }

  /** The bot is back in a team: the cards Teams refused there while it was gone go out now. */
  async teamIsBack(teamId: string): Promise<void> {
    if ((await this.deps.store.retryFailedDeliveries(teamId)) > 0) this.kick();
  }

  /**
   * A lead channel was set: leads that arrived while none was, or whose channel Teams refused for
   * good (deleted, bot removed), are routed to it now, so nothing received is left unseen.
   */
  async queueUndelivered(routing: Routing): Promise<number> {
    let queued = 0;
    for (const lead of await this.deps.store.listUndelivered()) {
      const target = routeLead(lead, routing);
      if (!target) continue;
      await this.deps.store.addDeliveries(lead.id, [pendingDelivery(target)]);
      queued++;
    }
    if (queued > 0) this.kick();
    return queued;
  }

  private async scheduleNext(): Promise<void> {
    clearTimeout(this.timer);
    if (this.stopped) return;
    // Each channel wakes for its oldest card; the others wait behind it.
    const times = (await this.deps.store.pendingByChannel(1)).map(({ conversationId, leads: [head] }) => {
      const delivery = head && pendingTo(head, conversationId);
      return delivery ? retryAt(delivery) : 0;
    });
    for (const lead of await this.deps.store.listOwedUpdates()) {
      for (const delivery of lead.deliveries) if (owesCardUpdate(delivery)) times.push(retryAt(delivery));
      if (lead.ownerNotice && owesOwnerNotice(lead)) times.push(retryAt(lead.ownerNotice));
    }
    for (const lead of await this.deps.store.listOwedAnnouncements())
      for (const repeat of lead.repeats ?? []) if (repeat.announce === 'owed') times.push(retryAt(repeat));
    if (times.length === 0) return;
    const wait = Math.max(0, Math.min(...times) - this.now().getTime());
    this.timer = setTimeout(() => this.kick(), Math.min(wait, 2 ** 31 - 1));
    this.timer.unref();
  }
}

function pendingTo(lead: Lead, conversationId: string): Delivery | undefined {
  return lead.deliveries.find((d) => d.conversationId === conversationId && d.state === 'pending');
}

/**
 * What may go now: per channel, pending cards in arrival order up to the first one still
 * waiting for its retry. A channel's cards never overtake each other, and during an outage
 * only its oldest card probes Teams.
 */
function dueIn(queues: ChannelBacklog[], now: number): Array<[Lead, Delivery]> {
  const due: Array<[Lead, Delivery]> = [];
  for (const { conversationId, leads } of queues) {
    for (const lead of leads) {
      const delivery = pendingTo(lead, conversationId);
      if (!delivery) continue;
      if (retryAt(delivery) > now) break;
      due.push([lead, delivery]);
    }
  }
  return due;
}
