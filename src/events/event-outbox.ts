import type { Events, Leads } from '../leads/store.js';
import { endpointKey, publicUrl } from './endpoint.js';
import { EndpointSender, type EndpointSenderDeps, type EndpointState } from './endpoint-sender.js';
import { defaultEventRetryPolicy, type EventRetryPolicy } from './event-retry.js';

export interface EventsSettings {
  /** EVENTS_URL: where every change to a lead is POSTed. Empty: no events. */
  endpoints: readonly string[];
  /** EVENTS_SECRET: `whsec_…`, two while rotating. */
  secrets: readonly string[];
  contact: 'include' | 'omit';
  /** CloudEvents `source` of every event. */
  source: string;
}

export interface EventOutboxDeps
  extends Pick<EndpointSenderDeps, 'log' | 'now' | 'onStopped' | 'onGivingUp'> {
  store: EndpointSenderDeps['store'] &
    Pick<Events, 'listEventEndpoints' | 'removeEventEndpoint' | 'eventStats'> &
    Pick<Leads, 'getLead'>;
  settings: EventsSettings;
  retry?: Partial<EventRetryPolicy>;
  /** Leads sent to at once, per endpoint (default 4). */
  concurrency?: number;
  /** How often every endpoint is looked at even if nothing kicked it (default 15 s). */
  sweepMs?: number;
}

export interface EndpointHealth {
  /** Without its query (which may hold the key to the receiver). */
  url: string;
  state: EndpointState;
  /** Events not yet delivered (nor given up on). */
  owed: number;
  /** Events given up on (refused for good, or failing for 24 h). */
  failed: number;
  lastError?: string;
}

/**
 * Lead events to every EVENTS_URL: one sender per endpoint, each on its own timers, apart from
 * the card outbox (a dead receiver never delays a card). What is owed lives in the store (each
 * lead's history and cursors), so `start` after a crash resumes exactly where it stopped.
 */
export class EventOutbox {
  private senders: EndpointSender[] = [];
  private sweep: NodeJS.Timeout | undefined;

  constructor(private readonly deps: EventOutboxDeps) {}

  /**
   * Registers the configured endpoints with the store (a new one is owed only changes made from
   * now on; one no longer configured is dropped), tells managers of a stop they have not heard
   * of, and sends what is owed.
   */
  async start(): Promise<void> {
    const { store, settings, now } = this.deps;
    const stored = await store.listEventEndpoints();
    const configured = new Map(settings.endpoints.map((url) => [endpointKey(url), url]));
    for (const endpoint of stored)
      if (!configured.has(endpoint.key)) await store.removeEventEndpoint(endpoint.key);
    const retry = { ...defaultEventRetryPolicy, ...this.deps.retry };
    for (const [key, url] of configured) {
      let endpoint = stored.find((e) => e.key === key);
      if (!endpoint) {
        endpoint = { key, since: now().toISOString() };
        await store.putEventEndpoint(endpoint);
      }
      this.senders.push(
        new EndpointSender(url, endpoint, {
          ...this.deps,
          secrets: settings.secrets,
          contact: settings.contact,
          source: settings.source,
          retry,
          concurrency: this.deps.concurrency ?? 4,
        }),
      );
    }
    for (const sender of this.senders) await sender.tellStopped();
    if (this.senders.length === 0) return;
    this.kick();
    this.sweep = setInterval(() => this.kick(), this.deps.sweepMs ?? 15_000);
    this.sweep.unref();
  }

  /** A lead changed (or may have): every endpoint looks at what it is owed. */
  kick(): void {
    for (const sender of this.senders) sender.kick();
  }

  /** Stops sending; `start()` may begin again later (this instance took the lease back). */
  async stop(): Promise<void> {
    clearInterval(this.sweep);
    const senders = this.senders;
    this.senders = [];
    await Promise.all(senders.map((s) => s.stop()));
  }

  /** Resolves once nothing is being sent and nothing owed is due now (for tests and the bench). */
  async settled(): Promise<void> {
    await Promise.all(this.senders.map((s) => s.settled()));
  }

  /** What /healthz shows under `events`. */
  async health(): Promise<{ endpoints: EndpointHealth[] }> {
    // No sender here (EVENTS_URL empty, or another instance holds the lease): nothing to read.
    if (this.senders.length === 0) return { endpoints: [] };
    const stats = new Map((await this.deps.store.eventStats()).map((s) => [s.key, s]));
    return {
      endpoints: this.senders.map((sender) => {
        const figures = stats.get(sender.key);
        return {
          url: publicUrl(sender.url),
          ...sender.state(),
          owed: figures?.owed ?? 0,
          failed: figures?.failed ?? 0,
        };
      }),
    };
  }
}
