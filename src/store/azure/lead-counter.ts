// How many leads exist, without counting them: each store instance keeps its own row in the
// `count` partition (the leads it created), written by it alone, so no two instances contend;
// stats() sums the partition (one row per instance started, a few hundred rows after years).
import { describeError, type Logger } from '../../log.js';
import type { Table } from './table.js';

const PARTITION = 'count';

export class LeadCounter {
  private created = 0;
  private written = 0;
  /** One write at a time, each carrying every lead created before it (a burst costs a few). */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly index: Table,
    private readonly instance: string,
    private readonly log: Logger,
  ) {}

  /** Resolves once the count includes these; a failed write is logged (the next one catches up). */
  add(count: number): Promise<void> {
    this.created += count;
    const target = this.created;
    const write = this.chain.then(async () => {
      if (this.written >= target) return;
      const value = this.created;
      await this.index.upsert({ partitionKey: PARTITION, rowKey: this.instance, n: value });
      this.written = value;
    });
    this.chain = write.catch(() => undefined);
    return write.catch((error) =>
      this.log.warn('could not update the lead count; the next lead brings it up to date', {
        error: describeError(error),
      }),
    );
  }

  async total(): Promise<number> {
    const rows = await this.index.partition(PARTITION, ['n']);
    return rows.reduce((sum, row) => sum + Number(row.n ?? 0), 0);
  }

  settled(): Promise<void> {
    return this.chain;
  }
}
