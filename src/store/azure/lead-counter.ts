// How many leads exist, without counting them: each store instance keeps its own row in the
// `count` partition (the leads it created), written by it alone, so no two instances contend;
// stats() sums the partition (one row per instance started, a few hundred rows after years).
// A process killed between storing a lead and counting it leaves the sum low: recount() (at start,
// then hourly) sets this instance's row so the sum equals the leads actually stored.
import { describeError, type Logger } from '../../log.js';
import type { Table } from './table.js';

const PARTITION = 'count';
/** How long new leads are gathered into one write of the count. */
const GATHER_MS = 1_000;

export class LeadCounter {
  private created = 0;
  private written = 0;
  /** One write at a time, each carrying every lead created before it. */
  private chain: Promise<void> = Promise.resolve();
  private gathering?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly index: Table,
    private readonly instance: string,
    private readonly log: Logger,
  ) {}

  /**
   * Resolves once the count includes these; a failed write is logged (the next one catches up).
   * Leads created within GATHER_MS are counted in one write: a burst costs one request, not one a
   * lead. stats() (through settled()) writes at once, so the figure it shows is never behind.
   */
  add(count: number): Promise<void> {
    this.created += count;
    if (!this.gathering) {
      const gathered = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, GATHER_MS);
        timer.unref();
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.gathering = gathered.then(() => {
        this.gathering = undefined;
        this.wake = undefined;
        return this.write();
      });
    }
    return this.gathering;
  }

  private write(): Promise<void> {
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

  /**
   * Makes the sum equal `exact` (counted from the lead rows just now) by setting this instance's
   * row. Leads created by other instances while counting may be off by a few until the next one.
   */
  recount(exact: number): Promise<void> {
    const write = this.chain.then(async () => {
      const rows = await this.index.partition(PARTITION, ['RowKey', 'n']);
      const others = rows
        .filter((r) => r.rowKey !== this.instance)
        .reduce((sum, r) => sum + Number(r.n ?? 0), 0);
      const own = exact - others;
      if (own === this.written) return;
      await this.index.upsert({ partitionKey: PARTITION, rowKey: this.instance, n: own });
      this.created += own - this.written;
      this.written = own;
    });
    this.chain = write.catch(() => undefined);
    return write;
  }

  settled(): Promise<void> {
    this.wake?.();
    return (this.gathering ?? Promise.resolve()).then(() => this.chain);
  }
}
