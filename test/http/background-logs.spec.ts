// Background work a request starts (the outbox run its 202 kicks) logs under no request's id: a
// failure there is not the webhook caller's, and must not be found when searching for its request.
import assert from 'node:assert/strict';
import { createConsoleLogger } from '../../src/log.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { leadFixture } from '../fixtures/load.js';
import { Harness } from './harness.js';

/** A store whose outbox reads fail once told to, as Azure does when it refuses connections. */
class FailingQueueStore extends MemoryStore {
  failing = false;
  override async pendingByChannel(limit: number) {
    if (this.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:10002');
    return super.pendingByChannel(limit);
  }
}

describe('log lines of background work a request started', () => {
  it('carry no request id, and the request’s own lines carry only theirs', async () => {
    const lines: Record<string, unknown>[] = [];
    let failed: () => void = () => {};
    const outboxFailed = new Promise<void>((resolve) => {
      failed = resolve;
    });
    const log = createConsoleLogger({
      write: (line) => {
        lines.push(JSON.parse(line));
        if (lines.at(-1)?.msg === 'outbox run failed') failed();
      },
    });
    const store = new FailingQueueStore();
    const harness = await Harness.start({}, { store, log });
    try {
      await harness.app.outbox.settled();
      store.failing = true;
      const answer = await harness.postLead(leadFixture('contact-me'));
      assert.equal(answer.status, 202);
      const requestId = answer.headers.get('x-request-id');
      assert.ok(requestId);
      await outboxFailed; // its own settled() would ask the failing store too
      const failure = lines.find((line) => line.msg === 'outbox run failed');
      assert.ok(failure, `no outbox failure logged; got ${lines.map((l) => l.msg).join(' | ')}`);
      assert.equal(failure.requestId, undefined, 'the outbox failure was logged under the webhook’s id');
      const background = lines.filter((line) => /^outbox /.test(String(line.msg)));
      assert.deepEqual(
        background.filter((line) => line.requestId !== undefined).map((line) => line.msg),
        [],
      );
      const own = lines.filter((line) => line.requestId === requestId);
      assert.ok(own.length > 0, 'the webhook’s own lines carry its id');
    } finally {
      store.failing = false;
      await harness.stop();
    }
  });
});
