import assert from 'node:assert/strict';
import { silentLogger } from '../../src/log.js';
import { LeadCounter } from '../../src/store/azure/lead-counter.js';
import type { Row, Table } from '../../src/store/azure/table.js';

/** The index table as the counter uses it: its rows, and the writes made. */
function fakeIndex() {
  const rows = new Map<string, Row>();
  const writes: Row[] = [];
  const table = {
    async upsert(row: Row) {
      writes.push(row);
      rows.set(row.rowKey, row);
    },
    async partition() {
      return [...rows.values()];
    },
  } as unknown as Table;
  return { table, writes };
}

describe('the Azure lead count (one row per instance)', () => {
  it('counts a burst of leads in one write, and is exact as soon as it is asked for', async () => {
    const { table, writes } = fakeIndex();
    const counter = new LeadCounter(table, 'instance-1', silentLogger);
    for (let i = 0; i < 5; i++) {
      void counter.add(1);
      await new Promise((resolve) => setImmediate(resolve)); // leads of a burst arrive apart
    }
    await counter.settled();
    assert.deepEqual(
      writes.map((w) => w.n),
      [5],
    );
    assert.equal(await counter.total(), 5);
  });

  it('writes leads created later in a write of their own, without a caller having to ask', async () => {
    const { table, writes } = fakeIndex();
    const counter = new LeadCounter(table, 'instance-1', silentLogger);
    await counter.add(1); // resolves once written (within a second)
    await counter.add(2);
    assert.deepEqual(
      writes.map((w) => w.n),
      [1, 3],
    );
  });
});
