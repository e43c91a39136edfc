import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, type AppOptions, createApp } from '../../src/app.js';
import { type Config, readConfig } from '../../src/config/config.js';
import type { Lead } from '../../src/leads/lead.js';
import { silentLogger } from '../../src/log.js';
import { installActivity, LEADS_CHANNEL_ID } from '../fakes/activities.js';
import { FakeConnector, type Member } from '../fakes/fake-connector.js';
import { leadFixture } from '../fixtures/load.js';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

/** A production identity (no local mode): every activity then needs a Bot Framework token. */
export const PRODUCTION_BOT = {
  ALLOW_UNAUTHENTICATED_BOT: 'false',
  MicrosoftAppId: '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f',
  MicrosoftAppPassword: 'secret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555555',
};

/** The real app on a free loopback port, in local mode, storing in a temp dir that outlives restarts. */
export class Harness {
  app!: App;
  url = '';

  private constructor(
    readonly dataDir: string,
    readonly config: Config,
  ) {}

  static async start(env: Record<string, string> = {}, options: Partial<AppOptions> = {}): Promise<Harness> {
    const dataDir = await mkdtemp(join(tmpdir(), 'lead-assistant-'));
    const config = readConfig({
      ALLOW_UNAUTHENTICATED_BOT: 'true',
      LEADS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      DATA_DIR: dataDir,
      PORT: '0',
      ...env,
    });
    const harness = new Harness(dataDir, config);
    await harness.boot(options);
    return harness;
  }

  private async boot(options: Partial<AppOptions> = {}): Promise<void> {
    this.app = await createApp(this.config, {
      log: silentLogger,
      retry: { baseDelayMs: 5, maxDelayMs: 50, random: () => 0.5 },
      ...options,
    });
    this.url = await this.app.listen(0, '127.0.0.1');
  }

  /** Stops the server and starts a new one on the same data, as after a crash or a deploy. */
  async restart(options: Partial<AppOptions> = {}): Promise<void> {
    await this.app.close();
    await this.boot(options);
  }

  async stop(): Promise<void> {
    await this.app.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  postLead(body: string, options: { key?: string | null; contentType?: string | null; query?: string } = {}) {
    const headers: Record<string, string> = {};
    if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
    if (options.key !== null && options.query === undefined)
      headers['x-leads-key'] = options.key ?? WEBHOOK_SECRET;
    // A string body would make fetch add text/plain; bytes go without a content type.
    return fetch(`${this.url}/api/leads${options.query ?? ''}`, {
      method: 'POST',
      headers,
      body: Buffer.from(body),
    });
  }

  postActivity(activity: unknown) {
    return fetch(`${this.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
  }
}

export interface TeamsSetup {
  env?: Record<string, string>;
  app?: Partial<AppOptions>;
  /** The team's roster, as the fake connector answers it (default: test/fakes' members). */
  members?: Member[];
  /** Answer 429 beyond Teams' per-thread limits, as Teams does. */
  enforceTeamsLimits?: boolean;
}

/**
 * The setup most specs share: the real app on a free loopback port, a fake Bot Connector playing
 * Teams (a team with a Leads channel), and the bot installed there, its welcome card posted.
 */
export class TeamsHarness {
  private constructor(
    readonly connector: FakeConnector,
    readonly harness: Harness,
  ) {}

  static async start(setup: TeamsSetup = {}): Promise<TeamsHarness> {
    const connector = await FakeConnector.start({
      channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }],
      ...(setup.members ? { members: setup.members } : {}),
      ...(setup.enforceTeamsLimits ? { enforceTeamsLimits: true } : {}),
    });
    const harness = await Harness.start(setup.env ?? {}, setup.app ?? {});
    await harness.postActivity(installActivity(connector.url));
    await connector.waitFor((r) => r.kind === 'create'); // the welcome card
    return new TeamsHarness(connector, harness);
  }

  /** Posts a lead, waits until its card is in the channel, and returns it as stored. */
  async postedLead(body = leadFixture('contact-me')): Promise<Lead> {
    const { id } = (await (await this.harness.postLead(body)).json()) as { id: string };
    await this.connector.waitFor((r) => r.kind === 'create' && JSON.stringify(r.body).includes(id));
    await this.harness.app.outbox.settled();
    return (await this.harness.app.store.getLead(id)) as Lead;
  }

  /**
   * Resolves once the outbox has sent everything due (cards, card updates, new owners' notices):
   * what a click owes Teams goes after its answer, so a spec reading the channel waits for this.
   */
  delivered(): Promise<void> {
    return this.harness.app.outbox.settled();
  }

  async stop(): Promise<void> {
    await this.harness.stop();
    await this.connector.close();
  }
}
