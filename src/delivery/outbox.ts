import {
  type Delivery,
  type Lead,
  NOTHING_OWED,
  owesCardUpdate,
  type RepeatSighting,
} from '../leads/lead.js';
import { pendingDelivery, routeLead } from '../leads/routing.js';
import type { ChannelBacklog, Deliveries, Installations, Leads, Routing } from '../leads/store.js';
import { describeError, inBackground, type Logger } from '../log.js';
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
  /** A card Teams refused for good (bot removed, channel deleted): tell somebody. */
  onFailed?: (lead: Lead, delivery: Delivery, error: unknown) => Promise<void>;
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
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly now: () => Date;
  private readonly retry: RetryPolicy;
  private readonly listeners = new Set<() => void>();
  /** Channels whose current backlog was announced; forgotten once they drain. */
  private readonly announced = new Set<string>();

  constructor(private readonly deps: OutboxDeps<N>) {
    this.now = deps.now ?? (() => new Date());
    this.retry = deps.retry ?? defaultRetryPolicy;
  }

  /** Something may be due: run now (or right after the current run). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // Background work: its lines belong to no request, even when a request's 202 kicked it. The
    // whole chain is started outside the scope: its handlers and timers inherit where they were made.
    this.running = inBackground(() =>
      this.drain()
        .catch((error) => this.deps.log.error('outbox run failed', { error: describeError(error) }))
        .finally(() => {
          this.running = undefined;
          if (this.again) {
            this.again = false;
            this.kick();
          } else {
            // A store that fails here (Azure unreachable for a moment) must not end the process: the
            // lease holder's periodic sweep kicks the outbox again.
            void this.scheduleNext()
              .catch((error) =>
                this.deps.log.warn('outbox could not schedule its next run', { error: describeError(error) }),
              )
              .then(() => this.notifyIdle());
          }
        }),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Another instance posts now (it holds the background lease): stop after the card in flight.
   * Card updates for clicks handled here still go out (`refreshCards`); only the queue waits.
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
    return new Promise((resolve) => {
      const listener = () => {
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
  }

  /** Resolves once nothing is being posted and nothing pending is due (for tests and shutdown). */
  async settled(): Promise<void> {
    for (;;) {
      if (!this.running && (await this.dueWork()) === 0) return;
      await this.whenIdle();
    }
  }

  /** How many cards, card updates and announcements are due now. */
  private async dueWork(): Promise<number> {
    return (
      (await this.dueDeliveries()).length +
      (await this.dueUpdates()).length +
      (await this.dueAnnouncements()).length
    );
  }

  private notifyIdle(): void {
    if (this.running) return;
    for (const listener of [...this.listeners]) listener();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const queues = await this.deps.store.pendingByChannel(CARDS_PER_RUN);
      const due = dueIn(queues, this.now().getTime());
      await this.announceBacklogs(queues, due);
      const updates = await this.dueUpdates();
      const announcements = await this.dueAnnouncements();
      if ((due.length === 0 && updates.length === 0 && announcements.length === 0) || this.stopped) return;
      const waiting = new Set<string>(); // channels whose card just failed: the rest wait behind it
      for (const [lead, delivery] of due) {
        if (this.stopped) return;
        if (waiting.has(delivery.conversationId)) continue;
        if (!(await this.deliver(lead, delivery))) waiting.add(delivery.conversationId);
      }
      for (const [lead, delivery] of updates) {
        if (this.stopped) return;
        await this.updateCard(lead, delivery);
      }
      for (const [lead, index] of announcements) {
        if (this.stopped) return;
        await this.announceRepeat(lead, index);
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

  /**
   * Tells each thread the lead was posted to that the buyer came back (a reply), and owes the card
   * an update (it shows the sighting too). A thread told is recorded at once, so a retry after a
   * failure or a restart tells only the others. A lead not posted yet needs no reply: its card
   * will show the sighting.
   */
  private async announceRepeat(lead: Lead, index: number): Promise<void> {
    const repeat = lead.repeats?.[index];
    if (!repeat) return;
    const told = new Set(repeat.announcedIn ?? []);
    try {
      for (const delivery of lead.deliveries) {
        if (delivery.state !== 'posted' || !delivery.threadId || told.has(delivery.conversationId)) continue;
        const installation = await this.deps.store.getInstallation(delivery.teamId);
        if (!installation) continue; // the bot left that team: nobody there to tell
        if (this.deps.renderRepeat)
          await this.deps.poster.postToConversation(
            installation,
            delivery.threadId,
            this.deps.renderRepeat(lead, repeat),
          );
        told.add(delivery.conversationId);
        await this.deps.store.updateRepeat(lead.id, index, { announcedIn: [...told] });
        await this.deps.store.updateDelivery(lead.id, delivery.conversationId, {
          nextAttemptAt: this.now().toISOString(),
        });
      }
      await this.deps.store.updateRepeat(lead.id, index, {
        announce: 'done',
        nextAttemptAt: undefined,
        attempts: undefined,
      });
    } catch (error) {
      if (isPermanent(error)) {
        await this.deps.store.updateRepeat(lead.id, index, { announce: 'done', nextAttemptAt: undefined });
        this.deps.log.warn('repeat not announced: the thread is gone', {
          lead: lead.id,
          status: statusOf(error),
        });
        return;
      }
      const attempts = (repeat.attempts ?? 0) + 1;
      const delay = retryDelayMs(error, attempts, this.retry);
      await this.deps.store.updateRepeat(lead.id, index, {
        attempts,
        nextAttemptAt: new Date(this.now().getTime() + delay).toISOString(),
      });
      this.deps.log.warn('repeat announcement failed, will retry', {
        lead: lead.id,
        status: statusOf(error),
        retryInMs: delay,
      });
    }
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

  /** Posted cards owed an update whose retry time has come. */
  private async dueUpdates(): Promise<Array<[Lead, Delivery]>> {
    const now = this.now().getTime();
    return (await this.deps.store.listOwedUpdates()).flatMap((lead) =>
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
      await this.deps.store.updateDelivery(lead.id, delivery.conversationId, {
        state: 'posted',
        activityId: posted.activityId,
        threadId: posted.threadId,
        attempts: delivery.attempts + 1,
        nextAttemptAt: undefined,
        lastError: undefined,
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

  /**
   * A lead changed: every posted copy of its card shows the change now, for everyone (paced like
   * every call to Teams). A copy Teams refuses to update is owed an update, retried like any other
   * with backoff, and survives a restart, so no card keeps showing an old state (or personal data
   * erased since). `notice` goes to `render` (a line on the card, say).
   */
  async refreshCards(lead: Lead, notice?: N): Promise<void> {
    for (const delivery of lead.deliveries) {
      if (delivery.state === 'posted' && delivery.activityId) await this.updateCard(lead, delivery, notice);
    }
  }

  /** Brings one posted card up to date: now (a change) or as owed (Teams refused it before). */
  private async updateCard(lead: Lead, delivery: Delivery, notice?: N): Promise<void> {
    const installation = await this.deps.store.getInstallation(delivery.teamId);
    const current = await this.deps.store.getLead(lead.id);
    if (!current) return; // taken back: the disk refused it, so there is nothing to show
    const owed = owesCardUpdate(delivery);
    try {
      if (!installation || !delivery.activityId)
        throw new Error(`No card to update: the bot is not in team ${delivery.teamId}, or no message id.`);
      await this.deps.poster.updateActivity(
        { ...installation, conversationId: delivery.threadId ?? delivery.conversationId },
        { ...(await this.deps.render(current, notice)), id: delivery.activityId },
      );
      if (owed) {
        await this.deps.store.updateDelivery(lead.id, delivery.conversationId, NOTHING_OWED);
        this.deps.log.info('card brought up to date', { lead: lead.id, channel: delivery.conversationId });
      }
    } catch (error) {
      if (!installation || !delivery.activityId || isPermanent(error)) {
        // The bot or the message is gone from the channel: there is no card left to update.
        if (owed) await this.deps.store.updateDelivery(lead.id, delivery.conversationId, NOTHING_OWED);
        this.deps.log.warn('card not updated: it is gone', { lead: lead.id, status: statusOf(error) });
        return;
      }
      const updateAttempts = (delivery.updateAttempts ?? 0) + 1;
      const delay = retryDelayMs(error, updateAttempts, this.retry);
      await this.deps.store.updateDelivery(lead.id, delivery.conversationId, {
        nextAttemptAt: new Date(this.now().getTime() + delay).toISOString(),
        updateAttempts,
        lastError: describeError(error).slice(0, 300),
      });
      this.deps.log.warn('card update failed, will retry', {
        lead: lead.id,
        status: statusOf(error),
        retryInMs: delay,
      });
      if (!owed) this.kick(); // now owed: the outbox's timer must know
    }
  }

  private async scheduleNext(): Promise<void> {
    clearTimeout(this.timer);
    if (this.stopped) return;
    // Each channel wakes for its oldest card; the others wait behind it.
    const times = (await this.deps.store.pendingByChannel(1)).map(({ conversationId, leads: [head] }) => {
      const delivery = head && pendingTo(head, conversationId);
      return delivery ? retryAt(delivery) : 0;
    });
    for (const lead of await this.deps.store.listOwedUpdates())
      for (const delivery of lead.deliveries) if (owesCardUpdate(delivery)) times.push(retryAt(delivery));
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
