import type { Activity } from 'botbuilder';
import { digestPeriod, latestDue } from '../leads/digest-schedule.js';
import type { Period } from '../leads/period.js';
import { describeError, type Logger } from '../log.js';
import type { DigestSubscription, LeadStore } from '../store/lead-store.js';
import { PeriodicJob } from './periodic-job.js';
import type { CardPoster } from './teams-poster.js';

export interface DigestDeps {
  store: LeadStore;
  poster: CardPoster;
  timeZone: string;
  now: () => Date;
  log: Logger;
  render: (digest: DigestSubscription, period: Period) => Promise<Partial<Activity>>;
}

/**
 * Sends each digest once per due time. The due time is recorded only after Teams took the post,
 * so a crash can at worst repeat one digest, never skip it; a digest missed while the bot was
 * down goes out once at start (the latest one only).
 */
export class DigestScheduler {
  private readonly job = new PeriodicJob(
    () => this.sendDue(),
    (error) => this.deps.log.error('scheduled run failed', { error: describeError(error) }),
  );

  constructor(private readonly deps: DigestDeps) {}

  start(intervalMs = 60_000): void {
    this.job.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Sends what is due now; returns how many went out. */
  tick(): Promise<number> {
    return this.job.run();
  }

  private async sendDue(): Promise<number> {
    const now = this.deps.now();
    let sent = 0;
    for (const digest of await this.deps.store.listDigests()) {
      const due = latestDue(digest, now, this.deps.timeZone);
      const alreadySent = digest.lastSentFor !== undefined && Date.parse(digest.lastSentFor) >= due.getTime();
      if (alreadySent || due.getTime() < Date.parse(digest.createdAt)) continue;
      try {
        const activity = await this.deps.render(digest, digestPeriod(digest, due, this.deps.timeZone));
        await this.deps.poster.postToConversation(digest, digest.conversationId, activity);
        // Re-read: `digest off` (or a new time) while this one was on its way must stand.
        const current = (await this.deps.store.listDigests()).find(
          (d) => d.conversationId === digest.conversationId && d.createdAt === digest.createdAt,
        );
        if (current) await this.deps.store.putDigest({ ...current, lastSentFor: due.toISOString() });
        sent++;
      } catch (error) {
        this.deps.log.warn('digest not sent, next minute tries again', { error: describeError(error) });
      }
    }
    return sent;
  }
}
