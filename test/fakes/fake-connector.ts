import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A Bot Connector (Bot Framework REST v3, as Teams serves it) on loopback, used as the bot's
// serviceUrl. It records every call and can fail on demand.

export type RouteKind = 'create' | 'post' | 'update' | 'delete' | 'read';

export interface RecordedRequest {
  kind: RouteKind;
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  body: any;
  authorization?: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** What the connector answered (a new thread's id and activity id, say). */
  answer?: unknown;
}

export interface Member {
  id: string;
  aadObjectId: string;
  name: string;
  userPrincipalName: string;
  email: string;
  userRole: 'user' | 'guest';
}

export interface FakeConnectorOptions {
  members?: Member[];
  /** A roster per team (by team id), for the teams that have one of their own; `members` for the rest. */
  rosters?: Record<string, Member[]>;
  channels?: Array<{ id: string; name?: string }>;
  /** Answer 429 (Retry-After: 1) to writes beyond Teams' per-thread limits, as Teams does. */
  enforceTeamsLimits?: boolean;
}

// Teams' per-thread limits, written out here independently of the code under test.
const TEAMS_LIMITS: Array<[count: number, ms: number]> = [
  [7, 1_000],
  [8, 2_000],
  [60, 30_000],
  [1800, 3_600_000],
];

interface Failure {
  remaining: number;
  status: number;
  kind?: RouteKind;
  /** Only calls on this activity (an update of one card). */
  activityId?: string;
  retryAfterSeconds?: number;
}

/** Calls held unanswered (Teams stalling) until released. */
export interface Stall {
  /** Calls held so far (each stays held until `release`). */
  readonly held: RecordedRequest[];
  /** Resolves once `count` calls are held. */
  waitForHeld(count?: number, timeoutMs?: number): Promise<void>;
  /** Answers every held call (and lets later ones through). */
  release(): void;
}

interface Hold {
  matches: (r: RecordedRequest) => boolean;
  held: RecordedRequest[];
  released: Promise<void>;
  isReleased: boolean;
  release(): void;
}

export const defaultMembers: Member[] = [
  {
    id: '29:megan',
    aadObjectId: 'aad-megan',
    name: 'Megan Bowen',
    userPrincipalName: 'meganb@contoso.com',
    email: 'meganb@contoso.com',
    userRole: 'user',
  },
  {
    id: '29:alex',
    aadObjectId: 'aad-alex',
    name: 'Alex Wilber',
    userPrincipalName: 'alexw@contoso.com',
    email: 'alexw@contoso.com',
    userRole: 'user',
  },
  {
    id: '29:guest',
    aadObjectId: 'aad-guest',
    name: 'Gina Guest',
    userPrincipalName: 'gina_partner.com#EXT#@contoso.com',
    email: 'gina@partner.com',
    userRole: 'guest',
  },
];

export class FakeConnector {
  readonly requests: RecordedRequest[] = [];
  private readonly events = new EventEmitter();
  private readonly failures: Failure[] = [];
  private readonly holds: Hold[] = [];
  private nextId = 1000;
  private readonly writesByThread = new Map<string, number[]>();
  /** 429s answered because a Teams limit was exceeded. */
  throttled = 0;
  url = '';

  private constructor(
    private readonly server: Server,
    private readonly options: Required<FakeConnectorOptions>,
  ) {}

  static async start(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
    const server = createServer();
    const connector = new FakeConnector(server, {
      members: options.members ?? defaultMembers,
      rosters: { ...options.rosters },
      channels: options.channels ?? [],
      enforceTeamsLimits: options.enforceTeamsLimits ?? false,
    });
    server.on('request', (req, res) => void connector.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    connector.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return connector;
  }

  close(): Promise<void> {
    for (const hold of this.holds) hold.release();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The next `count` requests of `kind` (any write, if omitted) fail with `status`. */
  failNext(
    count: number,
    status: number,
    options: { kind?: RouteKind; activityId?: string; retryAfterSeconds?: number } = {},
  ): void {
    this.failures.push({ remaining: count, status, ...options });
  }

  /**
   * Teams stalls: calls matching `matches` get no answer until `release()` (the connection stays
   * open, as with a slow service), then are answered as usual. Reads are never held.
   */
  stall(matches: (r: RecordedRequest) => boolean): Stall {
    let resolve = () => {};
    const released = new Promise<void>((done) => {
      resolve = done;
    });
    const hold: Hold = {
      matches,
      held: [],
      released,
      isReleased: false,
      release() {
        hold.isReleased = true;
        resolve();
      },
    };
    this.holds.push(hold);
    const events = this.events;
    return {
      held: hold.held,
      waitForHeld(count = 1, timeoutMs = 10_000) {
        if (hold.held.length >= count) return Promise.resolve();
        return new Promise((resolve, reject) => {
          const onHeld = () => {
            if (hold.held.length < count) return;
            clearTimeout(timer);
            events.off('held', onHeld);
            resolve();
          };
          const timer = setTimeout(() => {
            events.off('held', onHeld);
            reject(new Error(`Only ${hold.held.length} of ${count} calls held within ${timeoutMs} ms.`));
          }, timeoutMs);
          events.on('held', onHeld);
        });
      },
      release: () => hold.release(),
    };
  }

  /** The team's roster from now on (someone joined or left). */
  setRoster(teamId: string, members: Member[]): void {
    this.options.rosters[teamId] = members;
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Resolves once `count` injected failures in all have been answered. */
  waitForFailures(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.failuresAnswered >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onFailure = () => {
        if (this.failuresAnswered < count) return;
        clearTimeout(timer);
        this.events.off('failure', onFailure);
        resolve();
      };
      const timer = setTimeout(() => {
        this.events.off('failure', onFailure);
        reject(
          new Error(`Only ${this.failuresAnswered} of ${count} failures answered within ${timeoutMs} ms.`),
        );
      }, timeoutMs);
      this.events.on('failure', onFailure);
    });
  }

  /** How many injected failures have been answered so far. */
  failuresAnswered = 0;

  /** New channel threads (createConversation calls that carry an activity). */
  channelPosts(): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === 'create' && r.body?.activity);
  }

  updates(): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === 'update');
  }

  /** Resolves with the first request (recorded or future) matching; rejects after `timeoutMs` listing what came. */
  waitFor(predicate: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    const found = this.requests.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onRequest = (r: RecordedRequest) => {
        if (!predicate(r)) return;
        clearTimeout(timer);
        this.events.off('request', onRequest);
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.events.off('request', onRequest);
        const seen = this.requests.map((r) => `${r.method} ${r.path}`).join('\n  ');
        reject(
          new Error(
            `No matching connector request within ${timeoutMs} ms. Received:\n  ${seen || '(nothing)'}`,
          ),
        );
      }, timeoutMs);
      this.events.on('request', onRequest);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const kind = routeKind(method, segments);
    const recorded: RecordedRequest = {
      kind,
      method,
      path,
      body: text ? JSON.parse(text) : undefined,
      at: Date.now(),
      ...(segments[1] === 'conversations' && segments[2] ? { conversationId: segments[2] } : {}),
      ...(segments[3] === 'activities' && segments[4] ? { activityId: segments[4] } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    const hold = kind === 'read' ? undefined : this.holds.find((h) => !h.isReleased && h.matches(recorded));
    if (hold) {
      hold.held.push(recorded);
      this.events.emit('held');
      await hold.released;
      // The caller hung up meanwhile (its process was killed): the call never reached "Teams".
      if (res.destroyed || req.socket.destroyed) return;
      recorded.at = Date.now(); // it reaches "Teams" now
    }
    if (this.options.enforceTeamsLimits && kind !== 'read' && this.overLimit(recorded)) {
      this.throttled++;
      reply(res, 429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'retry-after': '1' });
      return;
    }
    const failure = this.takeFailure(kind, recorded.activityId);
    if (failure) {
      const headers: Record<string, string> = {};
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      reply(
        res,
        failure.status,
        { error: { code: 'Injected', message: `Injected ${failure.status}` } },
        headers,
      );
      return;
    }
    this.requests.push(recorded);
    const [status, body] = this.answer(kind, segments, recorded);
    recorded.answer = body;
    reply(res, status, body);
    this.events.emit('request', recorded);
  }

  private overLimit(r: RecordedRequest): boolean {
    const thread =
      r.kind === 'create' ? (r.body?.channelData?.channel?.id ?? 'create') : (r.conversationId ?? '');
    const now = Date.now();
    const times = (this.writesByThread.get(thread) ?? []).filter((t) => now - t < 3_600_000);
    const over = TEAMS_LIMITS.some(([count, ms]) => times.filter((t) => now - t < ms).length >= count);
    if (!over) times.push(now);
    this.writesByThread.set(thread, times);
    return over;
  }

  private takeFailure(kind: RouteKind, activityId?: string): Failure | undefined {
    if (kind === 'read') return undefined;
    const failure = this.failures.find(
      (f) =>
        f.remaining > 0 && (!f.kind || f.kind === kind) && (!f.activityId || f.activityId === activityId),
    );
    if (failure) {
      failure.remaining--;
      this.failuresAnswered++;
      this.events.emit('failure');
    }
    return failure;
  }

  private answer(kind: RouteKind, segments: string[], r: RecordedRequest): [number, unknown] {
    const id = String(this.nextId++);
    if (kind === 'create') {
      const channel = r.body?.channelData?.channel?.id;
      if (channel) return [201, { id: `${channel};messageid=${id}`, activityId: id }];
      return [201, { id: `a:personal-${r.body?.members?.[0]?.id ?? id}`, activityId: id }];
    }
    if (kind === 'post' || kind === 'update')
      return [200, { id: r.activityId && kind === 'update' ? r.activityId : id }];
    if (kind === 'delete') return [200, {}];
    return this.read(segments);
  }

  private read(segments: string[]): [number, unknown] {
    const { members, channels } = this.options;
    if (segments[1] === 'teams' && segments[3] === 'conversations') {
      const teamId = segments[2] ?? '';
      return [200, { conversations: [{ id: teamId }, ...channels] }];
    }
    if (segments[1] === 'teams') return [200, { id: segments[2], name: 'Sales' }];
    if (segments[3] === 'pagedmembers')
      return [200, { members: this.options.rosters[segments[2] ?? ''] ?? members }];
    if (segments[3] === 'members' && segments[4]) {
      const member = members.find((m) => m.id === segments[4] || m.aadObjectId === segments[4]);
      return member
        ? [200, member]
        : [404, { error: { code: 'MemberNotFoundInConversation', message: 'Not a member' } }];
    }
    if (segments[3] === 'members') return [200, members];
    return [404, { error: { code: 'NotFound', message: `No route ${segments.join('/')}` } }];
  }
}

// Restify patches http.ServerResponse.prototype in this process, so no writeHead chaining.
function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}

function routeKind(method: string, segments: string[]): RouteKind {
  if (method === 'POST' && segments.length === 2 && segments[1] === 'conversations') return 'create';
  if (method === 'POST' && segments[3] === 'activities') return 'post';
  if (method === 'PUT') return 'update';
  if (method === 'DELETE') return 'delete';
  return 'read';
}
