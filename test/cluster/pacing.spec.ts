import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { type Clock, pacePoster, SendNotRecordedError } from '../../src/delivery/paced-poster.js';
import type { CardPoster } from '../../src/delivery/teams-poster.js';
import { MemoryCoordination } from '../../src/store/memory-coordination.js';

/** A clock that moves only when a poster waits: the time each send went out is exact. */
function fakeClock(start: number): Clock & { time: number } {
  const clock = {
    time: start,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
    },
  };
  return clock;
}

function recordingPoster(clock: Clock, sent: number[]): CardPoster {
  const posted = async () => {
    sent.push(clock.now());
    return { activityId: String(sent.length), threadId: 't' };
  };
  return { postToChannel: posted, postToConversation: posted, postToUser: posted } as unknown as CardPoster;
}

const target = { channelId: '19:c@thread.tacv2', tenantId: 'tenant', serviceUrl: '', botId: '' } as never;
const card: Partial<Activity> = { type: 'message' };

describe('pacing through the store: one set of Teams windows for every instance', () => {
  it('an instance taking over waits for the window the other filled (sends read from the store)', async () => {
    const store = new MemoryCoordination();
    const clock = fakeClock(Date.parse('2026-12-01T09:00:00Z'));
    const first: number[] = [];
    const a = pacePoster(recordingPoster(clock, first), clock, store);
    for (let i = 0; i < 8; i++) await a.postToChannel(target, card);
    const second: number[] = [];
    const b = pacePoster(recordingPoster(clock, second), clock, store);
    await b.reseed(); // as on taking the lease
    await b.postToChannel(target, card);
    const gap = (second[0] ?? 0) - (first[first.length - 8] ?? 0);
    assert.ok(gap >= 2000, `the ninth send waited for Teams' 8-per-2-s window: ${gap} ms after the first`);
  });

  it('reading its own sends back does not count them twice (no half-speed after a reseed)', async () => {
    const store = new MemoryCoordination();
    const clock = fakeClock(Date.parse('2026-12-01T09:00:00Z'));
    const sent: number[] = [];
    const a = pacePoster(recordingPoster(clock, sent), clock, store);
    for (let i = 0; i < 6; i++) await a.postToChannel(target, card);
    await a.reseed();
    await a.postToChannel(target, card); // the seventh in the first second: allowed
    assert.equal((sent[6] ?? 0) - (sent[0] ?? 0), 0, 'seven sends in the same instant, as Teams allows');
  });

  it('does not call Teams when the store cannot record the send: the card is retried, never lost', async () => {
    const store = new MemoryCoordination();
    const clock = fakeClock(Date.parse('2026-12-01T09:00:00Z'));
    const sent: number[] = [];
    store.recordSend = async () => {
      throw new Error('store unavailable');
    };
    const poster = pacePoster(recordingPoster(clock, sent), clock, store);
    await assert.rejects(poster.postToChannel(target, card), SendNotRecordedError);
    assert.deepEqual(sent, [], 'nothing went to Teams');
  });
});
