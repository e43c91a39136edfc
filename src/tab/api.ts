// The tab's side of /api/tab/*. Every call carries a fresh SSO token; answers are read tolerantly
// (a missing field shows as nothing, never as a crash).
import type { HistoryEntry, Lead, LeadStatus, Person } from '../leads/lead.js';

export type TabLead = Partial<Omit<Lead, 'raw' | 'fingerprint' | 'deliveries'>> & { id: string };

export interface Filters {
  status: string;
  owner: string;
  storefront: string;
  action: string;
  offer: string;
  period: string;
  q: string;
  team: string;
  /** high, medium, low, fyi, or '' for any. */
  priority: string;
  /** '' (newest first) or 'priority' (High first, then oldest). */
  sort: string;
}

export interface LeadPage {
  leads: TabLead[];
  counts: Partial<Record<LeadStatus, number>>;
  total: number;
  pipeline: Record<string, number>;
  nextCursor?: string;
}

/** One input of an action's form, as the server describes it (the card's inputs). */
export interface ActionInput {
  name: string;
  type: 'choice' | 'text' | 'number' | 'date';
  label: string;
  required: boolean;
  choices?: Array<{ value: string; title: string }>;
  value?: string | number;
  maxLength?: number;
  min?: number;
  max?: number;
}

export interface ActionOffer {
  verb: string;
  /** The card's title, in the reader's language (the server always sends it). */
  title: string;
  inputs: ActionInput[];
}

export interface LeadDetails {
  lead: TabLead;
  history: HistoryEntry[];
  actions: ActionOffer[];
  version: number;
}

export interface ActionResult {
  status: number;
  details?: LeadDetails;
  message?: string;
}

export interface Me {
  name: string;
  isManager: boolean;
  maySeeSummary: boolean;
  teams: Array<{ id: string; name: string }>;
  /** Why this person may see and do nothing (a guest, or on no team's roster), in their language. */
  notice?: string;
}

/** A team's automatic assignment, read-only (GET /api/tab/auto-assign). */
export interface AutoAssignView {
  teamName: string;
  enabled: boolean;
  /** Every member who is not a guest is in the rotation; otherwise only the rows marked. */
  everyone: boolean;
  capacity?: number;
  rules: Array<{ field: string; values: string[]; to: string[] }>;
  changedBy?: string;
  changedAt?: string;
  rotation: RotationRow[];
}

export interface RotationRow {
  aadObjectId: string;
  name: string;
  inRotation: boolean;
  openLeads: number;
  lastAssigned?: string;
  awayUntil?: string;
  full: boolean;
  /** Who gets the next lead no rule claims (auto-assign on). */
  next: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

export class TabApi {
  private etag = '';
  private lastPage: LeadPage | undefined;

  constructor(
    private readonly token: () => Promise<string>,
    /** Teams' locale: the server answers refusals and labels in it. */
    private readonly locale: string,
  ) {}

  /** fetch with the bearer; a 401 gets one more try with a fresh token (it may just have expired). */
  async call(path: string, init: RequestInit = {}): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${await this.token()}`);
      const url = `${path}${path.includes('?') ? '&' : '?'}locale=${encodeURIComponent(this.locale)}`;
      const response = await fetch(url, { ...init, headers, credentials: 'omit' });
      if (response.status !== 401 || attempt > 0) return response;
    }
  }

  async me(): Promise<Me> {
    const body = await this.json('/api/tab/me');
    const user = (body.user ?? body) as Json;
    const isManager = body.isManager === true || user.isManager === true;
    return {
      name: String(user.name ?? ''),
      isManager,
      maySeeSummary: typeof body.maySeeSummary === 'boolean' ? body.maySeeSummary : isManager,
      ...(typeof body.notice === 'string' ? { notice: body.notice } : {}),
      teams: ((body.teams ?? []) as Json[]).map((t) => ({
        id: String(t.teamId ?? t.id ?? ''),
        name: String(t.teamName ?? t.name ?? ''),
      })),
    };
  }

  /**
   * The first page for these filters. When `poll` is set and nothing changed since the last call
   * (ETag), resolves with undefined.
   */
  async leads(
    filters: Filters,
    options: { cursor?: string; poll?: boolean } = {},
  ): Promise<LeadPage | undefined> {
    const query = filterQuery(filters);
    query.set('limit', '100');
    if (options.cursor) query.set('cursor', options.cursor);
    const headers: Record<string, string> = {};
    if (options.poll && this.etag) headers['if-none-match'] = this.etag;
    const response = await this.call(`/api/tab/leads?${query}`, { headers });
    if (response.status === 304) return undefined;
    const body = await ok(response);
    const page = readPage(body);
    if (!options.cursor) {
      this.etag = response.headers.get('etag') ?? '';
      const same = this.lastPage && JSON.stringify(this.lastPage) === JSON.stringify(page);
      this.lastPage = page;
      if (options.poll && same) return undefined;
    }
    return page;
  }

  async lead(id: string): Promise<LeadDetails> {
    return readDetails(await this.json(`/api/tab/leads/${encodeURIComponent(id)}`));
  }

  async act(
    id: string,
    verb: string,
    version: number,
    inputs: Record<string, unknown>,
  ): Promise<ActionResult> {
    const response = await this.call(`/api/tab/leads/${encodeURIComponent(id)}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...inputs, verb, version }),
    });
    const body = (await response.json().catch(() => ({}))) as Json;
    const error = body.error as Json | undefined;
    return {
      status: response.status,
      ...(body.lead ? { details: readDetails(body) } : {}),
      ...(typeof error?.message === 'string' ? { message: error.message } : {}),
    };
  }

  async summary(period: string, filters: Filters): Promise<Json> {
    const query = new URLSearchParams({ period: period || 'all' });
    if (filters.team) query.set('team', filters.team);
    if (filters.offer) query.set('offer', filters.offer);
    return this.json(`/api/tab/summary?${query}`);
  }

  /** The team's rotation, or undefined when the server says it is not this person's to see (403, 404). */
  async autoAssign(teamId: string): Promise<AutoAssignView | undefined> {
    const response = await this.call(`/api/tab/auto-assign?${new URLSearchParams({ team: teamId })}`);
    if (response.status === 403 || response.status === 404) return undefined;
    return readAutoAssign(await ok(response));
  }

  async csv(filters: Filters): Promise<Blob> {
    const response = await this.call(`/api/tab/leads.csv?${filterQuery(filters)}`);
    if (!response.ok) throw new ApiError(response.status, await errorText(response));
    return response.blob();
  }

  private async json(path: string): Promise<Json> {
    return ok(await this.call(path));
  }
}

export function filterQuery(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  return query;
}

async function ok(response: Response): Promise<Json> {
  if (!response.ok) throw new ApiError(response.status, await errorText(response));
  return (await response.json()) as Json;
}

async function errorText(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as Json;
  const error = body.error as Json | undefined;
  return typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`;
}

function readPage(body: Json): LeadPage {
  const leads = ((body.leads ?? body.items ?? []) as Json[]).map(readLead);
  const counts = (body.counts ?? body.byStatus ?? {}) as LeadPage['counts'];
  const total =
    typeof body.total === 'number' ? body.total : Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  const cursor = body.nextCursor ?? body.cursor;
  return {
    leads,
    counts,
    total,
    pipeline: readPipeline(body.pipeline ?? body.pipelineValue),
    ...(typeof cursor === 'string' && cursor ? { nextCursor: cursor } : {}),
  };
}

/** `{EUR: 100}` or `[{currency, value}]`. */
function readPipeline(value: unknown): Record<string, number> {
  if (Array.isArray(value))
    return Object.fromEntries(
      value.map((v: Json) => [String(v.currency), Number(v.value ?? v.amount ?? 0)] as [string, number]),
    );
  return value && typeof value === 'object' ? (value as Record<string, number>) : {};
}

/** A row (flat: name, company, storefront…) or a whole lead (customer, source): the same to the tab. */
export function readLead(raw: Json): TabLead {
  const lead = raw as unknown as TabLead & Json;
  const customer = (lead.customer ?? {}) as Partial<NonNullable<TabLead['customer']>>;
  const [firstName = '', ...rest] = typeof raw.name === 'string' ? raw.name.split(' ') : [];
  return {
    ...lead,
    customer: {
      firstName: customer.firstName ?? firstName,
      lastName: customer.lastName ?? rest.join(' '),
      email: customer.email ?? '',
      phone: customer.phone ?? '',
      country: customer.country ?? String(raw.country ?? ''),
      company: customer.company ?? String(raw.company ?? ''),
      title: customer.title ?? '',
    },
    source: {
      ...(lead.source ?? { raw: '', rawActionCode: '' }),
      storefront: (lead.source?.storefront ?? raw.storefront ?? 'Unknown') as never,
      action: (lead.source?.action ?? raw.action ?? 'Unknown') as never,
    },
  };
}

function readDetails(body: Json): LeadDetails {
  const raw = (body.lead ?? body) as Json;
  const lead = readLead(raw);
  const history = (raw.history ?? body.history ?? []) as HistoryEntry[];
  const roster = (body.roster ?? raw.roster) as Person[] | undefined;
  const offers = (raw.actions ?? body.actions ?? []) as Array<string | Json>;
  const actions = offers.map((a): ActionOffer => {
    const offer = (typeof a === 'string' ? { verb: a } : a) as Partial<ActionOffer> & { verb: string };
    const verb = offer.verb.startsWith('lead.') ? offer.verb : `lead.${offer.verb}`;
    let inputs = offer.inputs ?? [];
    if (!offer.inputs && verb === 'lead.assign' && roster)
      inputs = [
        {
          name: 'assignee',
          type: 'choice',
          label: '',
          required: true,
          choices: roster.map((p) => ({ value: p.aadObjectId, title: p.name })),
        },
      ];
    return { verb, title: offer.title ?? verb, inputs };
  });
  return { lead, history, actions, version: Number(raw.version ?? body.version ?? 0) };
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const texts = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function readAutoAssign(body: Json): AutoAssignView {
  const view = (body.autoAssign ?? body) as Json;
  const changedBy = (view.changedBy ?? {}) as Json;
  return {
    teamName: text(view.teamName),
    enabled: view.enabled === true,
    everyone: view.everyone !== false,
    ...(typeof view.capacity === 'number' ? { capacity: view.capacity } : {}),
    rules: ((Array.isArray(view.rules) ? view.rules : []) as Json[]).map((r) => ({
      field: text(r.field),
      values: texts(r.values),
      to: texts(r.to),
    })),
    ...(text(changedBy.name) ? { changedBy: text(changedBy.name) } : {}),
    ...(text(view.changedAt) ? { changedAt: text(view.changedAt) } : {}),
    rotation: ((Array.isArray(view.rotation) ? view.rotation : []) as Json[]).map((r) => ({
      aadObjectId: text(r.aadObjectId),
      name: text(r.name),
      inRotation: r.inRotation === true,
      openLeads: typeof r.openLeads === 'number' ? r.openLeads : 0,
      ...(text(r.lastAssigned) ? { lastAssigned: text(r.lastAssigned) } : {}),
      ...(text(r.awayUntil) ? { awayUntil: text(r.awayUntil) } : {}),
      full: r.full === true,
      next: r.next === true,
    })),
  };
}
