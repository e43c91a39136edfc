// One Azure table, through TableCalls (retries, health). Writes that Azure may have applied before
// a retry (a timeout after the request left) carry a writer token `w`: a retried insert that meets
// 409, or a conditional replace that meets 412, reads the row back to see whether it was its own.
import { randomUUID } from 'node:crypto';
import {
  odata,
  type TableClient,
  type TableEntity,
  type TableEntityResult,
  type TransactionAction,
} from '@azure/data-tables';
import { type Call, type CallOptions, isStatus, PAGE_TIMEOUT_MS, type TableCalls } from './table-calls.js';

export type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };
export type StoredRow = TableEntityResult<Record<string, unknown>> & { partitionKey: string; rowKey: string };

export const writerToken = () => randomUUID();

export class Table {
  constructor(
    readonly client: TableClient,
    private readonly calls: TableCalls,
    /** Told when the table had vanished (deleted, or an emulator restarted empty) and was made again. */
    private readonly onRecreated: (table: string) => void = () => undefined,
  ) {}

  async create(): Promise<void> {
    await this.calls.run((abortSignal) => this.client.createTable({ abortSignal }));
  }

  /** Every call: a table that is gone is made again (once), so the store goes on. */
  private async call<T>(call: Call<T>, options?: CallOptions): Promise<T> {
    try {
      return await this.calls.run(call, options);
    } catch (error) {
      if (!isTableMissing(error)) throw error;
      this.onRecreated(this.client.tableName);
      await this.create();
      return this.calls.run(call, options);
    }
  }

  async get(partitionKey: string, rowKey: string): Promise<StoredRow | undefined> {
    try {
      return (await this.call((abortSignal) =>
        this.client.getEntity(partitionKey, rowKey, { abortSignal }),
      )) as StoredRow;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** Inserts the row unless its key is taken: the etag, or undefined when it was there already. */
  async insert(row: Row): Promise<string | undefined> {
    const w = String(row.w ?? writerToken());
    let retried = false;
    try {
      const answer = await this.call((abortSignal, attempt) => {
        retried = attempt > 1;
        return this.client.createEntity({ ...row, w } as TableEntity, { abortSignal });
      });
      return answer.etag;
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
      if (!retried) return undefined;
      const stored = await this.get(row.partitionKey, row.rowKey);
      return stored?.w === w ? stored.etag : undefined;
    }
  }

  /** Replaces the row if it is still at `etag`: the new etag, or undefined when it changed first. */
  async replace(row: Row, etag: string): Promise<string | undefined> {
    const w = String(row.w ?? writerToken());
    let retried = false;
    try {
      const answer = await this.call((abortSignal, attempt) => {
        retried = attempt > 1;
        return this.client.updateEntity({ ...row, w } as TableEntity, 'Replace', { etag, abortSignal });
      });
      return answer.etag;
    } catch (error) {
      if (!isStatus(error, 412) && !isStatus(error, 404)) throw error;
      if (!retried) return undefined;
      const stored = await this.get(row.partitionKey, row.rowKey);
      return stored?.w === w ? stored.etag : undefined;
    }
  }

  /**
   * One entity-group transaction (all in one partition, all or nothing). `first` is the row its
   * first action writes: its new etag is returned, or undefined when a condition failed (409, 412).
   */
  async transact(actions: TransactionAction[], first: Row): Promise<string | undefined> {
    let retried = false;
    try {
      const answer = await this.call((abortSignal, attempt) => {
        retried = attempt > 1;
        return this.client.submitTransaction(actions, { abortSignal });
      });
      return answer.subResponses[0]?.etag ?? (await this.get(first.partitionKey, first.rowKey))?.etag;
    } catch (error) {
      if (!isStatus(error, 409) && !isStatus(error, 412)) throw error;
      if (!retried) return undefined;
      const stored = await this.get(first.partitionKey, first.rowKey);
      return stored && stored.w === first.w ? stored.etag : undefined;
    }
  }

  /** Writes the row whatever is there (for rows with one writer, or last-writer-wins settings). */
  async upsert(row: Row): Promise<void> {
    await this.call((abortSignal) =>
      this.client.upsertEntity(row as TableEntity, 'Replace', { abortSignal }),
    );
  }

  /**
   * Deletes the row (only if still at `etag`, when given). False if it was gone or had changed; a
   * row gone when a retry comes (the first try's answer lost after it deleted) was deleted here.
   */
  async remove(partitionKey: string, rowKey: string, etag?: string): Promise<boolean> {
    let retried = false;
    try {
      await this.call((abortSignal, attempt) => {
        retried = attempt > 1;
        return this.client.deleteEntity(partitionKey, rowKey, { abortSignal, ...(etag ? { etag } : {}) });
      });
      return true;
    } catch (error) {
      if (isStatus(error, 404) && retried) return true;
      if (isStatus(error, 404) || isStatus(error, 412)) return false;
      throw error;
    }
  }

  /** Every row matching, page by page (each page retried on its own). */
  async query(filter: string, select?: string[]): Promise<StoredRow[]> {
    const rows: StoredRow[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.call(
        (abortSignal) =>
          this.client
            .listEntities({
              queryOptions: { ...(filter ? { filter } : {}), ...(select ? { select } : {}) },
              abortSignal,
            })
            .byPage({ maxPageSize: 1000, ...(continuationToken ? { continuationToken } : {}) })
            .next(),
        { tryTimeoutMs: PAGE_TIMEOUT_MS },
      );
      if (page.done) break;
      rows.push(...(page.value as StoredRow[]));
      continuationToken = page.value.continuationToken;
    } while (continuationToken);
    return rows;
  }

  partition(partitionKey: string, select?: string[]): Promise<StoredRow[]> {
    return this.query(odata`PartitionKey eq ${partitionKey}`, select);
  }
}

/** Azure names it in `code`; for a query, the SDK leaves it in the message's JSON. */
function isTableMissing(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === 'TableNotFound' || (isStatus(error, 404) && /"TableNotFound"/.test(e?.message ?? ''));
}
