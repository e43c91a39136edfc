import assert from 'node:assert/strict';
import { Outbox } from '../../src/delivery/outbox.js';
import type { CardPoster } from '../../src/delivery/teams-poster.js';
import { StorageUnavailableError } from '../../src/errors.js';
import { MemoryStore } from '../../src/store/memory-store.js';

// On a shared store a read can fail for a moment (Azure busy, a network blip). The outbox's own
// bookkeeping between runs must log it and go on: an unhandled rejection would end the process,
// and with it this instance's share of the webhooks.
describe('the outbox when the shared store fails for a moment', () => {
  it('logs the failed look for due work and keeps the process alive; the next kick runs normally', async () => {
    const store = new MemoryStore();
    const warnings: string[] = [];
    const log = { info() {}, error() {}, warn: (message: string) => void warnings.push(message) };
    const outbox = new Outbox({
      store,
      poster: {} as CardPoster,
      render: async () => ({ type: 'message' }),
      log,
    });
    const read = store.pendingByChannel.bind(store);
    let calls = 0;
    store.pendingByChannel = async (limit) => {
      // The run itself reads once; the look for the next run fails.
      if (++calls === 2) throw new StorageUnavailableError('Azure Table storage is unreachable');
      return read(limit);
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.prependListener('unhandledRejection', onUnhandled);
    try {
      const idle = outbox.whenIdle();
      outbox.kick();
      await idle;
      assert.deepEqual(warnings, ['outbox could not schedule its next run']);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
      const again = outbox.whenIdle();
      outbox.kick();
      await again;
      assert.equal(warnings.length, 1, 'the next run and its look ahead went fine');
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await outbox.stop();
    }
  });
});
