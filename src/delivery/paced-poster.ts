import type { Coordination, Send } from '../leads/store.js';
import { RateLimiter, TEAMS_TENANT_WINDOWS, TEAMS_THREAD_WINDOWS } from './rate-limiter.js';
import type { CardPoster } from './teams-poster.js';

const JITTER_MARGIN_MS = 150;
/** Sends older than this count toward no Teams window (the longest is 1800 per hour). */
const HORIZON_MS = 3_600_000;
/** While sending, other instances' sends are read again at most this often. */
const SYNC_EVERY_MS = 5_000;
/** A send is recorded a moment after its time is taken: read back that far before the last read. */
const SYNC_OVERLAP_MS = 5_000;
/** A gated wait (`onlyWhile`) looks at the gate at least this often. */
const GATE_CHECK_MS = 250;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Where sends are kept so pacing holds across restarts and instances (the store). */
export type SendLog = Pick<Coordination, 'recordSend' | 'recentSends'>;

export interface PacedPoster extends CardPoster {
  /** Reads the last hour's sends (a previous run's, other instances'): call on taking over the posting. */
  reseed(): Promise<void>;
  /**
   * The same poster (same windows) whose new cards go out only while `mayPost()`, checked again
   * after every wait: an instance that lost the lease while waiting for Teams' window posts
   * nothing the new holder will post too (it refuses with PostingMovedError, a retryable error).
   */
  onlyWhile(mayPost: () => boolean): CardPoster;
}

/** This instance no longer posts the queue (another holds the lease); the card is left to it. */
export class PostingMovedError extends Error {
  constructor() {
    super('Not posted here: another instance posts the queued cards now.');
    this.name = 'PostingMovedError';
  }
}

/** A send the store did not take: it did not go out, so the caller tries again later (never lost). */
export class SendNotRecordedError extends Error {
  constructor(cause: unknown) {
    super('The Teams call was not made: the store did not record it for pacing. It is tried again later.', {
      cause,
    });
    this.name = 'SendNotRecordedError';
  }
}

/**
 * Every call to Teams (new threads, replies, personal chats, card updates) waits its turn under
 * the per-conversation and per-tenant limits before it goes out. With a send log (the store), each
 * send is recorded before it goes out and the windows start from the last hour's sends, so neither
 * a restart nor another instance taking over provokes a 429.
 */
export function pacePoster(poster: CardPoster, clock: Clock = realClock, log?: SendLog): PacedPoster {
  const threads = new RateLimiter(TEAMS_THREAD_WINDOWS, JITTER_MARGIN_MS);
  const tenants = new RateLimiter(TEAMS_TENANT_WINDOWS, JITTER_MARGIN_MS);
  /**
   * How many sends booked here per "thread, tenant, time" (ours and read back): a send read again
   * counts once, and two sends in one millisecond count twice.
   */
  const known = new Map<string, number>();
  let lastSync: number | undefined;
  let syncing: Promise<void> | undefined;

  const keyOf = (send: Send) => `${send.thread}\t${send.tenant}\t${send.at}`;
  const book = (send: Send) => {
    threads.book(send.thread, send.at);
    tenants.book(send.tenant, send.at);
  };
  const bookOwn = (send: Send) => {
    const key = keyOf(send);
    known.set(key, (known.get(key) ?? 0) + 1);
    book(send);
  };
  const bookReadBack = (sends: Send[]) => {
    const counts = new Map<string, { send: Send; count: number }>();
    for (const send of sends) {
      const entry = counts.get(keyOf(send)) ?? { send, count: 0 };
      entry.count++;
      counts.set(keyOf(send), entry);
    }
    for (const [key, { send, count }] of counts) {
      for (let extra = count - (known.get(key) ?? 0); extra > 0; extra--) book(send);
      known.set(key, Math.max(count, known.get(key) ?? 0));
    }
  };
  const forgetOld = (now: number) => {
    if (known.size < 10_000) return;
    for (const key of known.keys())
      if (now - Number(key.slice(key.lastIndexOf('\t') + 1)) >= HORIZON_MS) known.delete(key);
  };
  const sync = (since: number) => {
    syncing ??= (async () => {
      const startedAt = clock.now();
      bookReadBack((await log?.recentSends(since)) ?? []);
      lastSync = startedAt;
    })().finally(() => {
      syncing = undefined;
    });
    return syncing;
  };

  const turn = async (thread: string, tenant: string, mayPost?: () => boolean) => {
    if (log && lastSync === undefined)
      await sync(clock.now() - HORIZON_MS); // the first send: must know the last hour
    else if (log && lastSync !== undefined && clock.now() - lastSync >= SYNC_EVERY_MS)
      // Other instances' sends: a courtesy read; a failure leaves the windows as they are.
      await sync(lastSync - SYNC_OVERLAP_MS).catch(() => undefined);
    let recorded = !log;
    for (;;) {
      if (mayPost && !mayPost()) throw new PostingMovedError();
      const now = clock.now();
      const wait = Math.max(threads.waitFor(thread, now), tenants.waitFor(tenant, now));
      if (wait === 0 && recorded) {
        book({ thread, tenant, at: now }); // the time it really leaves
        forgetOld(now);
        return;
      }
      if (wait === 0) {
        // Recorded before it goes out (a restart or another instance then knows of it). The store
        // may take a while, and Teams counts when the call arrives: the slot is held meanwhile, then
        // looked at again at the time it really leaves, so a slow write cannot bunch sends.
        const send = { thread, tenant, at: now };
        bookOwn(send);
        try {
          await log?.recordSend(send);
        } catch (error) {
          threads.unbook(thread, now);
          tenants.unbook(tenant, now);
          throw new SendNotRecordedError(error);
        }
        threads.unbook(thread, now);
        tenants.unbook(tenant, now);
        recorded = true;
        continue;
      }
      // Gated: wake often enough that losing the lease stops the outbox promptly, not after a 30 s window.
      await clock.sleep(mayPost ? Math.min(wait, GATE_CHECK_MS) : wait);
    }
  };
  const paced: PacedPoster = {
    async reseed() {
      if (!log) return;
      await syncing?.catch(() => undefined); // a shorter read may be running: the whole hour is wanted
      await sync(clock.now() - HORIZON_MS);
    },
    onlyWhile(mayPost) {
      return {
        ...paced,
        async postToChannel(target, activity) {
          await turn(target.channelId, target.tenantId, mayPost);
          return poster.postToChannel(target, activity);
        },
      };
    },
    async postToChannel(target, activity) {
      await turn(target.channelId, target.tenantId);
      return poster.postToChannel(target, activity);
    },
    async postToConversation(target, conversationId, activity) {
      await turn(conversationId, target.tenantId);
      return poster.postToConversation(target, conversationId, activity);
    },
    async postToUser(target, userId, activity) {
      await turn(`user:${userId}`, target.tenantId);
      return poster.postToUser(target, userId, activity);
    },
    async updateActivity(target, activity) {
      await turn(target.conversationId, target.tenantId);
      return poster.updateActivity(target, activity);
    },
  };
  return paced;
}
