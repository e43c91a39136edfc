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
 * the per-conversation and per-tenant limits before it goes out.
 */
export function pacePoster(poster: CardPoster, clock: Clock = realClock): CardPoster {
  const threads = new RateLimiter(TEAMS_THREAD_WINDOWS, JITTER_MARGIN_MS);
  const tenants = new RateLimiter(TEAMS_TENANT_WINDOWS, JITTER_MARGIN_MS);
  const turn = async (conversationId: string, tenantId: string) => {
    for (;;) {
      const now = clock.now();
      const wait = Math.max(threads.waitFor(conversationId, now), tenants.waitFor(tenantId, now));
      if (wait === 0) {
        threads.book(conversationId, now);
        tenants.book(tenantId, now);
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
