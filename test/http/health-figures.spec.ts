import assert from 'node:assert/strict';
import { HealthFigures } from '../../src/http/health-figures.js';
import type { StoreStats } from '../../src/leads/store.js';

const STATS: StoreStats = { leads: 3, pendingDeliveries: 0, failedDeliveries: 0, installations: 1 };
const TIMING = { timeoutMs: 3_000, answerWithinMs: 10, staleAfterMs: 60_000, everyMs: 10_000 };

describe('the figures /healthz answers from', () => {
  it('says degraded when the last figures are over a minute old, though no refresh has failed yet', async () => {
    let now = 0;
    let stall = false;
    const never = new Promise<never>(() => {});
    const figures = new HealthFigures(
      {
        store: {
          stats: async () => (stall ? never : STATS),
          health: async () => ({ status: 'ok' }),
        },
      },
      TIMING,
      () => now,
    );
    await figures.refresh();
    assert.equal(figures.report().status, 'ok');
    // The event loop was blocked for a minute (no timer ran), and the refresh just started hangs.
    now = 61_000;
    stall = true;
    void figures.refresh();
    const report = figures.report();
    assert.equal(report.status, 'degraded');
    assert.match(String(report.reason), /figures are 61 s old/);
    assert.equal(report.stats?.leads, 3);
    assert.equal(report.storeAnsweredSecondsAgo, 61);
  });

  it('leaves at most three hanging refreshes behind, however often it is asked', async () => {
    let now = 0;
    let started = 0;
    const figures = new HealthFigures(
      {
        store: {
          stats: () => {
            started++;
            return new Promise<never>(() => {});
          },
          health: async () => ({ status: 'ok' }),
        },
      },
      TIMING,
      () => now,
    );
    for (let second = 0; second < 120; second++) {
      now = second * 1_000;
      void figures.refresh();
    }
    assert.equal(started, 4, 'one running and three given up on');
    assert.match(String(figures.report().reason), /has not answered/);
  });
});
