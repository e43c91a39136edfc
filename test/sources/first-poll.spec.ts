import assert from 'node:assert/strict';
import { silentLogger } from '../../src/log.js';
import type { TableRow } from '../../src/sources/marketplace-row.js';
import { MarketplaceTablePoller } from '../../src/sources/marketplace-table.js';
import { MemoryStore } from '../../src/store/memory-store.js';

describe('the MarketplaceLeads poller’s first read', () => {
  it('goes back 30 days, not to the table’s first row: older leads are history, not new cards', async () => {
    const now = new Date('2026-12-01T10:00:00.000Z');
    const asked: Array<Date | undefined> = [];
    const rows = {
      async *rowsSince(since: Date | undefined): AsyncIterable<TableRow> {
        asked.push(since);
        yield* []; // an empty table: only what the poller asks for matters here
      },
    };
    const poller = new MarketplaceTablePoller({
      store: new MemoryStore(),
      rows,
      log: silentLogger,
      now: () => now,
      onAccepted: () => undefined,
    });
    await poller.run();
    assert.equal(asked[0]?.toISOString(), '2026-11-01T10:00:00.000Z');
  });
});
