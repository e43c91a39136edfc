import assert from 'node:assert/strict';
import { retryDelayMs } from '../../src/delivery/retry-policy.js';

const policy = { baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0.5 };
const withStatus = (statusCode: number, retryAfter?: string) =>
  Object.assign(new Error('x'), {
    statusCode,
    response: { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } },
  });

describe('retryDelayMs', () => {
  it('waits what a 429 says, even beyond the backoff cap', () => {
    assert.equal(retryDelayMs(withStatus(429, '2'), 1, policy), 2000);
    assert.equal(retryDelayMs(withStatus(429, '120'), 1, policy), 120_000);
  });

  it('backs off exponentially with jitter on 5xx and network errors, up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => retryDelayMs(withStatus(503), n, policy)),
      [750, 1500, 3000, 6000],
    );
    assert.equal(retryDelayMs(new Error('ECONNRESET'), 20, policy), 45_000);
    const spread = new Set(
      [0, 0.25, 0.5, 1].map((r) => retryDelayMs(withStatus(503), 3, { ...policy, random: () => r })),
    );
    assert.equal(spread.size, 4, 'jitter spreads retries');
  });
});
