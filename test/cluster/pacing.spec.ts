import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { pacePoster, realClock, SendNotRecordedError } from '../../src/delivery/paced-poster.js';
import { MemoryCoordination } from '../../src/store/memory-coordination.js';
import { fakeClock, recordingPoster } from '../fakes/pacing.js';

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

  it('paces by the time a send really leaves: a slow store write cannot bunch sends into a 429', async function () {
    this.timeout(20_000);
    // Real time: the store's latency is what this is about (Azure under load answers some writes
    // after most of a second and the next at once), and Teams counts calls as they arrive.
    const store = new MemoryCoordination();
    const record = store.recordSend.bind(store);
    let calls = 0;
    store.recordSend = async (send) => {
      if (calls++ < 7) await realClock.sleep(900); // the first burst's writes are slow, later ones not
      return record(send);
    };
    const sent: number[] = [];
    const poster = pacePoster(recordingPoster(realClock, sent), realClock, store);
    await Promise.all(Array.from({ length: 12 }, () => poster.postToChannel(target, card)));
    for (const [limit, windowMs] of [
      [7, 1000],
      [8, 2000],
    ] as const)
      for (const at of sent) {
        const inWindow = sent.filter((t) => t >= at && t < at + windowMs).length;
        assert.ok(
          inWindow <= limit,
          `${inWindow} sends within ${windowMs} ms of ${at - Math.min(...sent)} ms`,
        );
      }
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
