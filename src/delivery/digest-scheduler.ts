import { digestPeriod, latestDue } from '../leads/digest-schedule.js';
import type { Period } from '../leads/period.js';
import type { DigestSubscription, Settings } from '../leads/store.js';
import { describeError, type Logger } from '../log.js';
import type { CardPoster, TeamsMessage } from './teams-poster.js';

export interface DigestDeps {
  store: Settings;
  poster: CardPoster;
  timeZone: string;
  now: () => Date;
  log: Logger;
  render: (digest: DigestSubscription, period: Period) => Promise<TeamsMessage>;
}

/**
 * Sends each digest once per due time. The due time is recorded only after Teams took the post,
 * so a crash can at worst repeat one digest, never skip it; a digest missed while the bot was
 * down goes out once at start (the latest one only).
 */
export async function sendDueDigests(deps: DigestDeps): Promise<number> {
  const now = deps.now();
  let sent = 0;
  for (const digest of await deps.store.listDigests()) {
    const due = latestDue(digest, now, deps.timeZone);
    const alreadySent = digest.lastSentFor !== undefined && Date.parse(digest.lastSentFor) >= due.getTime();
    if (alreadySent || due.getTime() < Date.parse(digest.createdAt)) continue;
    try {
      const activity = await deps.render(digest, digestPeriod(digest, due, deps.timeZone));
      await deps.poster.postToConversation(digest, digest.conversationId, activity);
      // Re-read: `digest off` (or a new time) while this one was on its way must stand.
      const current = (await deps.store.listDigests()).find(
        (d) => d.conversationId === digest.conversationId && d.createdAt === digest.createdAt,
      );
      if (current) await deps.store.putDigest({ ...current, lastSentFor: due.toISOString() });
      sent++;
    } catch (error) {
      deps.log.warn('digest not sent, next minute tries again', { error: describeError(error) });
    }
  }
  return sent;
}
