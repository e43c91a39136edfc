import { DrainLoop } from '../delivery/drain-loop.js';
import { type EventEndpoint, eventDueAt, eventsSettled, owesEvents } from '../leads/event-cursor.js';
import type { EventCursor, Lead } from '../leads/lead.js';
import type { Events, Leads } from '../leads/store.js';
import { describeError } from '../log.js';
import { publicUrl } from './endpoint.js';
import { EndpointRecord, type EndpointRecordDeps } from './endpoint-record.js';
import { type EventRetryPolicy, eventRetryDelayMs, type SendOutcome } from './event-retry.js';
import { buildLeadEvent, type EventOptions } from './lead-event.js';
import { postEvent } from './post-event.js';

/** Leads read per round: enough to keep the receiver busy, a round costs the same with 50 or 50,000 owed. */
const LEADS_PER_ROUND = 200;

export interface EndpointSenderDeps extends EndpointRecordDeps {
  store: Pick<Leads, 'getLead'> & Pick<Events, 'listOwedEvents' | 'updateEventCursor' | 'putEventEndpoint'>;
  secrets: readonly string[];
  contact: EventOptions['contact'];
  source: string;
  retry: EventRetryPolicy;
  /** Leads sent to at the same time (each lead's events go one after the other). */
  concurrency: number;
}

export type EndpointState = 'ok' | 'retrying' | 'stopped';

/**
 * Sends one endpoint the events its leads owe: per lead in history order (event n+1 only once n
 * is acknowledged), several leads at a time. A failure that may heal (timeout, network, 429, 5xx)
 * pauses the whole endpoint with backoff, so a dead receiver gets a probe, not a flood; each
 * event is given up on 24 h after its first failure. Every step is stored on the lead, so a
 * restart resumes here. Runs on its own timers: a slow receiver delays nothing else.
 */
export class EndpointSender {
  private timer: NodeJS.Timeout | undefined;
  private halted = false;
  private pausedUntil = 0;
  private failuresInARow = 0;
  private lastError: string | undefined;
  private readonly loop = new DrainLoop({
    drain: () => this.drain(),
    failed: (error) => {
      this.deps.log.error('lead events run failed', {
        endpoint: publicUrl(this.url),
        error: describeError(error),
      });
      this.pause(this.deps.retry.baseDelayMs);
    },
    scheduleNext: () => this.scheduleNext(),
    // The periodic sweep kicks this sender again.
    scheduleFailed: (error) =>
      this.deps.log.warn('lead events could not schedule the next run', {
        endpoint: publicUrl(this.url),
        error: describeError(error),
      }),
    mayRun: () => !this.halted && !this.endpoint.stopped,
  });
  /** Aborts requests in flight on stop: a receiver that does not answer does not hold up a shutdown. */
  private readonly stopping = new AbortController();

  private readonly record: EndpointRecord;

  constructor(
    readonly url: string,
    endpoint: EventEndpoint,
    private readonly deps: EndpointSenderDeps,
  ) {
    this.record = new EndpointRecord(url, endpoint, deps);
  }

  get key(): string {
    return this.record.current.key;
  }

  /** As stored now (stopped or not). */
  private get endpoint(): EventEndpoint {
    return this.record.current;
  }

  state(): { state: EndpointState; lastError?: string } {
    const state = this.endpoint.stopped ? 'stopped' : this.failuresInARow > 0 ? 'retrying' : 'ok';
    return { state, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  kick(): void {
    this.loop.kick();
  }

  async stop(): Promise<void> {
    this.halted = true;
    clearTimeout(this.timer);
    this.stopping.abort();
    await this.loop.current;
  }

  /** Resolves once nothing is being sent and nothing owed is due now (paused or stopped counts as not due). */
  async settled(): Promise<void> {
    for (;;) {
      if (!this.loop.isRunning && !(await this.hasDueWork())) return;
      const idle = this.loop.whenIdle();
      if (!this.loop.isRunning) this.kick(); // due work nobody kicked yet: its run ends in an idle notice
      await idle;
    }
  }

  private async hasDueWork(): Promise<boolean> {
    if (this.halted || this.endpoint.stopped || this.pausedUntil > this.nowMs()) return false;
    const [head] = await this.deps.store.listOwedEvents(this.key, 1);
    return head !== undefined && eventDueAt(head, this.key) <= this.nowMs();
  }

  private nowMs(): number {
    return this.deps.now().getTime();
  }

  private canGoOn(): boolean {
    return !this.halted && !this.endpoint.stopped && this.pausedUntil <= this.nowMs();
  }

  private async drain(): Promise<void> {
    while (this.canGoOn()) {
      const now = this.nowMs();
      const due = (await this.deps.store.listOwedEvents(this.key, LEADS_PER_ROUND)).filter(
        (lead) => eventDueAt(lead, this.key) <= now,
      );
      if (due.length === 0) return;
      let next = 0;
      const worker = async () => {
        while (next < due.length && this.canGoOn()) {
          const lead = due[next++] as Lead;
          await this.sendLead(lead.id);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.deps.concurrency, due.length) }, worker));
    }
  }

  /** Sends one lead's owed events in order, until it is caught up or one fails. */
  private async sendLead(leadId: string): Promise<void> {
    while (this.canGoOn()) {
      // The lead as it is now, on disk: its data (an erasure included) and its cursor.
      const lead = await this.deps.store.getLead(leadId);
      if (!lead || !owesEvents(lead, this.endpoint) || eventDueAt(lead, this.key) > this.nowMs()) return;
      const sequence = eventsSettled(lead, this.endpoint);
      const event = buildLeadEvent(lead, sequence, {
        endpointKey: this.key,
        source: this.deps.source,
        contact: this.deps.contact,
      });
      const outcome = await postEvent(
        this.url,
        event,
        this.deps.secrets,
        this.deps.retry.timeoutMs,
        this.stopping.signal,
      );
      // Cut short by a stop: no failure recorded, the event stays owed and goes again (same id) at start.
      if (this.halted && outcome.kind === 'retry') return;
      const cursor = lead.events?.[this.key];
      switch (outcome.kind) {
        case 'delivered':
          await this.settle(lead, sequence, {});
          await this.recovered();
          continue;
        case 'gone':
          await this.record.stop(outcome.status);
          return;
        case 'refused':
          this.deps.log.warn('lead event refused by the receiver for good; the next one goes', {
            endpoint: publicUrl(this.url),
            lead: lead.id,
            sequence,
            status: outcome.status,
          });
          await this.giveUp(lead, sequence, cursor, outcome.error);
          continue;
        case 'retry':
          await this.failed(lead, sequence, cursor, outcome);
          return;
      }
    }
  }

  /** Event `sequence` is done with: the cursor moves past it, its retry state cleared. */
  private async settle(lead: Lead, sequence: number, extra: Partial<EventCursor>): Promise<void> {
    await this.deps.store.updateEventCursor(lead.id, this.key, {
      sent: sequence + 1,
      attempts: undefined,
      nextAttemptAt: undefined,
      firstFailedAt: undefined,
      lastError: undefined,
      ...extra,
    });
  }

  private async failed(
    lead: Lead,
    sequence: number,
    cursor: EventCursor | undefined,
    outcome: Extract<SendOutcome, { kind: 'retry' }>,
  ): Promise<void> {
    const now = this.nowMs();
    this.lastError = outcome.error;
    this.failuresInARow++;
    this.pause(eventRetryDelayMs(this.failuresInARow, this.deps.retry, outcome.retryAfterMs));
    const firstFailedAt = cursor?.firstFailedAt ?? new Date(now).toISOString();
    if (now - Date.parse(firstFailedAt) >= this.deps.retry.giveUpAfterMs) {
      this.deps.log.error('lead event given up on after failing for the whole retry period', {
        endpoint: publicUrl(this.url),
        lead: lead.id,
        sequence,
        error: outcome.error,
      });
      await this.giveUp(lead, sequence, cursor, outcome.error);
      return;
    }
    const attempts = (cursor?.attempts ?? 0) + 1;
    const delay = eventRetryDelayMs(attempts, this.deps.retry, outcome.retryAfterMs);
    await this.deps.store.updateEventCursor(lead.id, this.key, {
      attempts,
      firstFailedAt,
      nextAttemptAt: new Date(now + delay).toISOString(),
      lastError: outcome.error,
    });
    this.deps.log.warn('lead event not delivered, will retry', {
      endpoint: publicUrl(this.url),
      lead: lead.id,
      sequence,
      status: outcome.status,
      error: outcome.error,
      retryInMs: delay,
    });
  }

  /** Marks the event failed (counted in /healthz) and moves on; managers hear of it once. */
  private async giveUp(
    lead: Lead,
    sequence: number,
    cursor: EventCursor | undefined,
    error: string,
  ): Promise<void> {
    this.lastError = error;
    await this.settle(lead, sequence, { failed: (cursor?.failed ?? 0) + 1, lastError: error });
    await this.record.gaveUp(lead.id, error);
  }

  /** A delivery went through: the endpoint is healthy again. */
  private async recovered(): Promise<void> {
    this.failuresInARow = 0;
    this.lastError = undefined;
    await this.record.delivered();
  }

  /** Tells managers of a stop they have not heard about (called at start). */
  tellStopped(): Promise<void> {
    return this.record.tellStopped();
  }

  private pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.nowMs() + ms);
  }

  private async scheduleNext(): Promise<void> {
    clearTimeout(this.timer);
    if (this.halted || this.endpoint.stopped) return;
    const [head] = await this.deps.store.listOwedEvents(this.key, 1);
    if (!head) return;
    const at = Math.max(eventDueAt(head, this.key), this.pausedUntil);
    const wait = Math.max(0, at - this.nowMs());
    this.timer = setTimeout(() => this.kick(), Math.min(wait, 2 ** 31 - 1));
    this.timer.unref();
  }
}
