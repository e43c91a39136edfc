// The uniqueness guards of createLead: a row `fp:<fingerprint>` and a row `id:<id>` in the index
// table, inserted before the lead. Azure answers 409 to an insert of a taken key, so of two
// instances storing one payload at once exactly one gets the row. A guard whose lead is not
// there (a create that failed or crashed half-way) is taken over once it is ORPHAN_MS old.

import { ConflictError, StorageUnavailableError } from '../../errors.js';
import type { Lead } from '../../leads/lead.js';
import { holdsFingerprint } from '../../leads/lead.js';
import { monthOf, toKey } from './keys.js';
import type { LeadRows } from './lead-rows.js';
import type { Row, StoredRow, Table } from './table.js';

/** No create takes this long (bounded retries), so a guard this old without its lead is an orphan. */
const ORPHAN_MS = 30_000;
/** How long a create waits for another instance's create of the same payload to finish. */
const IN_FLIGHT_WAIT_MS = 3_000;

export interface Claims {
  fp: string;
  id: string;
}

type Taken = { etag: string } | { holder: Lead | undefined };

export class KeyClaims {
  /** Guards this instance gave up on (its create failed): orphans at once, no need to wait. */
  private readonly abandoned = new Set<string>();

  constructor(
    private readonly index: Table,
    private readonly rows: LeadRows,
  ) {}

  /** Takes both guards, or neither: ConflictError with the lead that holds the payload or id. */
  async claim(lead: Lead, month: string): Promise<Claims> {
    const at = Date.now();
    const fpRow = { partitionKey: fpKey(lead.fingerprint), rowKey: '', id: lead.id, m: month, at };
    const idRow = { partitionKey: idKey(lead.id), rowKey: '', id: lead.id, m: month, at };
    const [fp, id] = await Promise.allSettled([
      this.take(fpRow, (l) => holdsFingerprint(l, lead.fingerprint), true),
      this.take(idRow, (l) => l.id === lead.id, false),
    ]);
    const undo = () =>
      Promise.all(
        [
          [fpRow, fp],
          [idRow, id],
        ].map(([row, result]) => {
          const r = row as Row;
          const taken = result as PromiseSettledResult<Taken>;
          return taken.status === 'fulfilled' && 'etag' in taken.value
            ? this.index.remove(r.partitionKey, r.rowKey, taken.value.etag).catch(() => false)
            : false;
        }),
      );
    for (const result of [fp, id])
      if (result.status === 'rejected') {
        await undo();
        throw result.reason;
      }
    const fpTaken = (fp as PromiseFulfilledResult<Taken>).value;
    const idTaken = (id as PromiseFulfilledResult<Taken>).value;
    if ('holder' in fpTaken) {
      await undo();
      throw new ConflictError(`Lead ${fpTaken.holder?.id} holds this payload already.`, fpTaken.holder);
    }
    if ('holder' in idTaken) {
      await undo();
      throw new ConflictError(`Lead id ${lead.id} is taken.`, idTaken.holder);
    }
    return { fp: fpTaken.etag, id: idTaken.etag };
  }

  /**
   * A create failed after its guards were taken. If the lead did get stored (its answer was
   * lost), that is the truth and it is returned; otherwise the guards are removed, or, if Azure
   * cannot be reached, left to be taken over as orphans.
   */
  async abandon(lead: Lead, month: string, claims: Claims): Promise<Lead | undefined> {
    this.abandoned.add(fpKey(lead.fingerprint)).add(idKey(lead.id));
    try {
      const stored = await this.rows.readAt(lead.id, month);
      if (stored && holdsFingerprint(stored.lead, lead.fingerprint)) return stored.lead;
      await Promise.all([
        this.index.remove(fpKey(lead.fingerprint), '', claims.fp),
        this.index.remove(idKey(lead.id), '', claims.id),
      ]);
    } catch {
      // Azure is not answering: the guards stay, orphans that a later create takes over.
    }
    return undefined;
  }

  /** The lead holding this payload, as first sighting or repeat; a stale guard counts as none. */
  async holderOf(fingerprint: string): Promise<Lead | undefined> {
    const guard = await this.index.get(fpKey(fingerprint), '');
    if (!guard) return undefined;
    const stored = await this.rows.readAt(String(guard.id), String(guard.m));
    return stored && holdsFingerprint(stored.lead, fingerprint) ? stored.lead : undefined;
  }

  /** Guards for a saved lead's new repeat sightings, before it is written (so none is missed). */
  async addRepeats(before: Lead, after: Lead): Promise<void> {
    const known = new Set([before.fingerprint, ...(before.repeats ?? []).map((r) => r.fingerprint)]);
    const fresh = [after.fingerprint, ...(after.repeats ?? []).map((r) => r.fingerprint)].filter(
      (fp) => !known.has(fp) && !fp.startsWith('erased:'),
    );
    const m = monthOf(after.receivedAt);
    await Promise.all(
      fresh.map((fp) =>
        this.index.upsert({ partitionKey: fpKey(fp), rowKey: '', id: after.id, m, at: Date.now() }),
      ),
    );
  }

  /**
   * Inserts the guard; if taken, looks at the lead it names: held → that lead; not held and
   * orphaned (or its lead exists but no longer holds this key) → replaced at its ETag; a create
   * still in flight elsewhere → for a payload, waited for; for an id, given up (a new id is drawn).
   */
  private async take(row: Row, held: (lead: Lead) => boolean, waitInFlight: boolean): Promise<Taken> {
    const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
    for (let round = 1; ; round++) {
      const etag = await this.index.insert(row);
      if (etag) return this.took(row, etag);
      const guard = await this.index.get(row.partitionKey, row.rowKey);
      if (!guard) continue; // removed meanwhile: try again
      const stored = await this.rows.readAt(String(guard.id), String(guard.m));
      if (stored && held(stored.lead)) return { holder: stored.lead };
      if (stored || this.abandoned.has(row.partitionKey) || isOrphan(guard)) {
        const replaced = await this.index.replace(row, guard.etag);
        if (replaced) return this.took(row, replaced);
        continue;
      }
      if (!waitInFlight) return { holder: undefined };
      if (Date.now() > deadline)
        throw new StorageUnavailableError(
          'Another instance is storing this same lead right now and has not finished; try again in a few seconds.',
        );
      await new Promise((resolve) => setTimeout(resolve, 20 * Math.min(round, 5)));
    }
  }

  private took(row: Row, etag: string): Taken {
    this.abandoned.delete(row.partitionKey);
    return { etag };
  }
}

const fpKey = (fingerprint: string) => `fp:${toKey(fingerprint)}`;
const idKey = (id: string) => `id:${toKey(id)}`;

function isOrphan(guard: StoredRow): boolean {
  return Date.now() - Number(guard.at ?? 0) > ORPHAN_MS;
}
