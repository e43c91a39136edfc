import type { PacingJournal } from './pacing-journal.js';
import { RateLimiter, TEAMS_TENANT_WINDOWS, TEAMS_THREAD_WINDOWS } from './rate-limiter.js';
import type { CardPoster } from './teams-poster.js';

const JITTER_MARGIN_MS = 150;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Every call to Teams (new threads, replies, personal chats, card updates) waits its turn under
 * the per-conversation and per-tenant limits before it goes out. With a journal, the windows
 * outlive a restart.
 */
export function pacePoster(
  poster: CardPoster,
  clock: Clock = realClock,
  journal?: PacingJournal,
): CardPoster {
  const threads = new RateLimiter(TEAMS_THREAD_WINDOWS, JITTER_MARGIN_MS);
  const tenants = new RateLimiter(TEAMS_TENANT_WINDOWS, JITTER_MARGIN_MS);
  for (const send of journal?.sends ?? []) {
    threads.book(send.thread, send.at);
    tenants.book(send.tenant, send.at);
  }
  const turn = async (conversationId: string, tenantId: string) => {
    for (;;) {
      const now = clock.now();
      const wait = Math.max(threads.waitFor(conversationId, now), tenants.waitFor(tenantId, now));
      if (wait === 0) {
        threads.book(conversationId, now);
        tenants.book(tenantId, now);
        journal?.record({ thread: conversationId, tenant: tenantId, at: now });
        return;
      }
      await clock.sleep(wait);
    }
  };
  return {
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
}
