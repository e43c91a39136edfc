import type { EventEndpoint } from '../leads/event-cursor.js';
import type { Events } from '../leads/store.js';
import { describeError, type Logger } from '../log.js';
import { publicUrl } from './endpoint.js';

export interface EndpointRecordDeps {
  store: Pick<Events, 'putEventEndpoint'>;
  log: Logger;
  now: () => Date;
  /** The receiver answered 410: the endpoint is stopped (already stored as such). */
  onStopped?: (url: string, status: number) => Promise<void>;
  /** An event was given up on; called once until the endpoint takes an event again. */
  onGivingUp?: (url: string, leadId: string, reason: string) => Promise<void>;
}

/**
 * An endpoint's stored state — stopped for good, managers told — and the notices its changes
 * call for: each told once, also when several requests fail at the same moment, and a stop
 * stored before anyone is told, so a crash in between still tells them at the next start.
 */
export class EndpointRecord {
  /** Managers are being told of the stop (the 410 may come on several requests at once). */
  private telling = false;

  constructor(
    readonly url: string,
    private endpoint: EventEndpoint,
    private readonly deps: EndpointRecordDeps,
  ) {}

  get current(): EventEndpoint {
    return this.endpoint;
  }

  get stopped(): boolean {
    return this.endpoint.stopped !== undefined;
  }

  /** An event was given up on: managers hear of it, once until the endpoint works again. */
  async gaveUp(leadId: string, error: string): Promise<void> {
    if (this.endpoint.failureToldAt) return;
    // Marked before the await: a give-up in another lead meanwhile does not tell them again.
    this.endpoint = { ...this.endpoint, failureToldAt: this.deps.now().toISOString() };
    await this.deps
      .onGivingUp?.(this.url, leadId, error)
      .catch((notifyError) =>
        this.deps.log.warn('managers not told of failed lead events', { error: describeError(notifyError) }),
      );
    await this.deps.store.putEventEndpoint(this.endpoint);
  }

  /** An event went through: the next give-up is news again. */
  async delivered(): Promise<void> {
    if (!this.endpoint.failureToldAt) return;
    const { failureToldAt: _cleared, ...rest } = this.endpoint;
    await this.save(rest);
  }

  /** 410 Gone: stopped for good, stored, then managers are told. */
  async stop(status: number): Promise<void> {
    if (this.endpoint.stopped) return; // another lead's request got the 410 too
    this.deps.log.error('lead events endpoint answered 410 Gone: no more events go there', {
      endpoint: publicUrl(this.url),
    });
    await this.save({ ...this.endpoint, stopped: { at: this.deps.now().toISOString(), status } });
    await this.tellStopped();
  }

  /** Tells managers of a stop they have not heard about (after a 410, and at start). */
  async tellStopped(): Promise<void> {
    const stopped = this.endpoint.stopped;
    if (!stopped || stopped.managersTold || this.telling) return;
    this.telling = true;
    try {
      await this.deps.onStopped?.(this.url, stopped.status);
      await this.save({ ...this.endpoint, stopped: { ...stopped, managersTold: true } });
    } catch (error) {
      // Stays untold in the store: the next start tries again.
      this.deps.log.warn('managers not told of the stopped events endpoint', { error: describeError(error) });
    } finally {
      this.telling = false;
    }
  }

  private async save(endpoint: EventEndpoint): Promise<void> {
    this.endpoint = endpoint;
    await this.deps.store.putEventEndpoint(endpoint);
  }
}
