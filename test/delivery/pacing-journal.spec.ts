import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { pacePoster, type SendLog } from '../../src/delivery/paced-poster.js';
import { PacingJournal } from '../../src/delivery/pacing-journal.js';
import { fakeClock, recordingPoster } from '../fakes/pacing.js';

/** The journal as the embedded store offers it to the poster (LowdbStore keeps sends this way). */
function sendLog(journal: PacingJournal): SendLog {
  return {
    recordSend: async (send) => journal.record(send),
    recentSends: async (since) => journal.sends.filter((s) => s.at >= since),
  };
}

describe('PacingJournal: Teams windows outlive a restart', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pacing-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const target = { channelId: '19:c@thread.tacv2', tenantId: 'tenant', serviceUrl: '', botId: '' } as never;
  const card: Partial<Activity> = { type: 'message' };

  it('after a restart (even kill -9, nothing closed), the next post waits for the window the last run filled', async () => {
    const path = join(dir, 'teams-pacing.log');
    const clock = fakeClock(Date.parse('2026-12-01T09:00:00Z'));
    const before: number[] = [];
    const first = pacePoster(
      recordingPoster(clock, before),
      clock,
      sendLog(PacingJournal.open(path, clock.now())),
    );
    for (let i = 0; i < 60; i++) await first.postToChannel(target, card);
    const firstSend = before[0] ?? 0;
    assert.ok(clock.now() - firstSend < 30_000, 'sixty posts went out inside one 30 s window');

    // The process dies here; a new one starts at once on the same journal.
    const after: number[] = [];
    const restarted = pacePoster(
      recordingPoster(clock, after),
      clock,
      sendLog(PacingJournal.open(path, clock.now())),
    );
    await restarted.postToChannel(target, card);
    assert.ok(
      (after[0] ?? 0) >= firstSend + 30_000,
      `the 61st waited for the 30 s window: ${(after[0] ?? 0) - firstSend} ms`,
    );
  });

  it('forgets sends older than an hour, and a damaged line costs only that send', async () => {
    const path = join(dir, 'teams-pacing.log');
    const now = Date.parse('2026-12-01T09:00:00Z');
    const journal = PacingJournal.open(path, now - 2 * 3_600_000);
    journal.record({ thread: 'old', tenant: 't', at: now - 2 * 3_600_000 });
    journal.record({ thread: 'recent', tenant: 't', at: now - 1000 });
    journal.close();
    await appendFile(path, 'recent\tt\tnot-a-time\nhalf-writ');
    assert.deepEqual(PacingJournal.open(path, now).sends, [
      { thread: 'recent', tenant: 't', at: now - 1000 },
    ]);
  });
});
