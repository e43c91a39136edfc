import type { Lead } from '../../src/leads/lead.js';
import { FakeEntra, TAB_TENANT_ID } from '../fakes/entra.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness, type TeamsSetup } from './harness.js';

export interface TabCall {
  /** The user the token is minted for (default Megan, on the team's roster). */
  as?: string;
  /** A raw token instead (forged, expired…); null sends none. */
  token?: string | null;
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The real app with the fake connector (a team whose roster has Megan and Alex, and a guest Teams
 * leaves out of it) and tokens checked against a fake Entra key set exactly as in production. The
 * team is recorded in the tokens' tenant, as it is when the bot and the tab share a tenant.
 */
export class TabHarness {
  private constructor(
    readonly entra: FakeEntra,
    readonly teams: TeamsHarness,
  ) {}

  static async start(setup: TeamsSetup = {}): Promise<TabHarness> {
    const entra = await FakeEntra.start();
    const teams = await TeamsHarness.start({ ...setup, env: { ...entra.env(), ...setup.env } });
    const store = teams.harness.app.store;
    for (const installation of await store.listInstallations())
      await store.putInstallation({ ...installation, tenantId: TAB_TENANT_ID });
    return new TabHarness(entra, teams);
  }

  get store() {
    return this.teams.harness.app.store;
  }

  get connector() {
    return this.teams.connector;
  }

  postedLead(body?: string): Promise<Lead> {
    return this.teams.postedLead(body);
  }

  async call(path: string, options: TabCall = {}): Promise<Response> {
    const token =
      options.token === undefined ? await this.entra.mint(options.as ?? 'aad-megan') : options.token;
    return fetch(`${this.teams.harness.url}${path}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  }

  async json<T = any>(path: string, options: TabCall = {}): Promise<{ status: number; body: T }> {
    const response = await this.call(path, options);
    return { status: response.status, body: (await response.json()) as T };
  }

  async stop(): Promise<void> {
    await this.teams.stop();
    await this.entra.close();
  }
}

/** The contact-me payload as another buyer (a new lead, not a repeat). */
export function buyer(n: number, details: Record<string, string> = {}): string {
  const payload = JSON.parse(leadFixture('contact-me'));
  payload.UserDetails = {
    ...payload.UserDetails,
    Email: `buyer${n}@example.com`,
    FirstName: `Buyer${n}`,
    ...details,
  };
  return JSON.stringify(payload);
}
