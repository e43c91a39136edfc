import type { Clock } from '../../src/delivery/paced-poster.js';
import type { CardPoster } from '../../src/delivery/teams-poster.js';

/** A clock that moves only when a poster waits: the time each send went out is exact. */
export function fakeClock(start: number): Clock & { time: number } {
  const clock = {
    time: start,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
    },
  };
  return clock;
}

/** Teams as far as pacing cares: it notes when each call arrived (by `clock`). */
export function recordingPoster(clock: Clock, sent: number[]): CardPoster {
  const posted = async () => {
    sent.push(clock.now());
    return { activityId: String(sent.length), threadId: 't' };
  };
  return {
    postToChannel: posted,
    postToConversation: posted,
    postToUser: posted,
    updateActivity: async () => undefined,
  } as unknown as CardPoster;
}
