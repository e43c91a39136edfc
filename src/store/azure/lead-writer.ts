// The write side of the Azure store: creating a lead (guards first, then the lead and its index
// rows in one transaction), saving it from a version, and bookkeeping patches, each a
// read-modify-write on the lead's ETag that starts again when another write came first (412).
import type { TransactionAction } from '@azure/data-tables';
import { ConflictError, NotFoundError, StorageUnavailableError, ValidationError } from '../../errors.js';
import { keepBookkeeping, requeueFailed } from '../../leads/bookkeeping.js';
import type { Lead } from '../../leads/lead.js';
import type { Logger } from '../../log.js';
import type { KeyClaims } from './key-claims.js';
import { monthOf } from './keys.js';
import type { LeadCounter } from './lead-counter.js';
import { toRow } from './lead-entity.js';
import { diffHints, emailHint, hintsOf } from './lead-hints.js';
import type { LeadRows, StoredLead } from './lead-rows.js';
import type { RollupRows } from './rollup-rows.js';
import { type Table, writerToken } from './table.js';
import { isStatus } from './table-calls.js';

/** Tries of one read-modify-write against concurrent writers before giving up. */
const MAX_CONFLICT_TRIES = 50;

export class LeadWriter {
  constructor(
    private readonly tables: { leads: Table; index: Table },
    private readonly rows: LeadRows,
    private readonly claims: KeyClaims,
    private readonly counter: LeadCounter,
    private readonly log: Logger,
    /** Summary rollups, counted after each change is written (absent: no TIME_ZONE given). */
    private readonly rollups?: RollupRows,
  ) {}

  /**
   * Guards and the e-mail hint first (at once; a taken guard answers 409), then the lead with its
   * index rows in one transaction: two round trips, four requests (and the counter, in the back).
   */
  async createLead(lead: Lead): Promise<Lead> {
    const row = toRow(lead, writerToken()); // too large: refused before anything is written
    const month = monthOf(lead.receivedAt);
    const email = emailHint(lead);
    // Settled, not raced: a create that fails must not leave its guards being written behind it.
    const [claimed, ...others] = await Promise.allSettled([
      this.claims.claim(lead, month),
      email && this.tables.index.upsert(email),
      this.rows.noteMonth(month),
    ]);
    if (claimed.status === 'rejected') throw claimed.reason;
    const claims = claimed.value;
    const failed = others.find((r) => r.status === 'rejected');
    if (failed) {
      await this.claims.abandon(lead, month, claims);
      throw failed.reason;
    }
    try {
      const actions: TransactionAction[] = [
        ['create', row],
        ...hintsOf(lead).map((h): TransactionAction => ['create', h]),
      ];
      const etag = await this.tables.leads.transact(actions, row);
      if (etag === undefined) {
        const holder = await this.rows.readAt(lead.id, month);
        throw new ConflictError(`Lead id ${lead.id} is taken.`, holder?.lead);
      }
      this.rows.noteSeen({ lead, etag }); // its card is posted next: that write starts here
    } catch (error) {
      const stored = await this.claims.abandon(lead, month, claims);
      if (!stored) throw error;
    }
    this.rows.remember(lead);
    await this.rollups?.apply(undefined, lead);
    void this.counter.add(1); // a figure, not the lead: not waited for (stats() waits for it)
    return lead;
  }

  /**
   * Conditional on the version read and on the entity's ETag. The lead's bookkeeping (deliveries,
   * reminders, announcements) is taken from the stored lead, not the caller's copy: the caller
   * read it before, and a card posted meanwhile must not be forgotten (posted twice).
   */
  async saveLead(lead: Lead, expectedVersion: number): Promise<Lead> {
    for (let attempt = 1; ; attempt++) {
      // The lead as last seen here (the caller has usually just read it) if it is at the version
      // expected; otherwise read, so that a conflict is decided on what is stored.
      const seen = attempt === 1 ? this.rows.lastSeenOf(lead.id) : undefined;
      const current = seen?.lead.version === expectedVersion ? seen : await this.require(lead.id);
      if (current.lead.version !== expectedVersion)
        throw new ConflictError(`Lead ${lead.id} changed (version ${current.lead.version}).`, current.lead);
      const saved = { ...keepBookkeeping(lead, current.lead), version: expectedVersion + 1 };
      if (await this.write(current, saved)) {
        await this.rollups?.apply(current.lead, saved);
        return saved;
      }
      if (attempt >= MAX_CONFLICT_TRIES) throw tooBusy(lead.id);
    }
  }

  async retryFailed(teamId: string): Promise<number> {
    const leads = (await this.rows.hinted('fail')).filter((lead) => requeueFailed(lead, teamId));
    let changed = 0;
    for (const lead of leads) {
      let requeued = false;
      await this.bookkeep(lead.id, (current) => {
        const next = requeueFailed(current, teamId);
        requeued = next !== undefined;
        return next ?? current;
      });
      if (requeued) changed++;
    }
    return changed;
  }

  /** A bookkeeping change, applied to the lead as stored and written at its ETag; again on 412. */
  async bookkeep(leadId: string, change: (lead: Lead) => Lead): Promise<Lead> {
    let seen = this.rows.lastSeenOf(leadId); // the first try only: a failed one reads afresh
    for (let attempt = 1; ; attempt++) {
      const current = seen ?? (await this.require(leadId));
      const next = change(current.lead);
      if (next === current.lead) {
        // "Nothing to change" is decided on what is stored, never on a copy that may be behind.
        if (!seen) return next;
        seen = undefined;
        continue;
      }
      seen = undefined;
      if (await this.write(current, next)) {
        await this.rollups?.apply(current.lead, next);
        return next;
      }
      if (attempt >= MAX_CONFLICT_TRIES) throw tooBusy(leadId);
      if (attempt > 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }

  /**
   * Writes `next` over `current` if it is still at its ETag (false when another write came
   * first): the lead and its index rows in one transaction. What lives elsewhere (the e-mail
   * hint, guards of new repeat sightings) is added before, and an old e-mail hint removed after.
   */
  private async write(current: StoredLead, next: Lead): Promise<boolean> {
    if (monthOf(next.receivedAt) !== monthOf(current.lead.receivedAt))
      throw new ValidationError(`Lead ${next.id}: the time it was received cannot change.`);
    const row = toRow(next, writerToken());
    const { put, remove } = diffHints(current.lead, next);
    const [before, after] = [emailHint(current.lead), emailHint(next)];
    const emailMoved = before?.partitionKey !== after?.partitionKey;
    await Promise.all([
      emailMoved && after && this.tables.index.upsert(after),
      this.claims.addRepeats(current.lead, next),
    ]);
    const change: TransactionAction[] = [
      ['update', row, 'Replace', { etag: current.etag }],
      ...put.map((h): TransactionAction => ['upsert', h, 'Replace']),
    ];
    const deletes = remove.map((h): TransactionAction => ['delete', h]);
    let etag: string | undefined;
    try {
      etag = await this.tables.leads.transact([...change, ...deletes], row);
    } catch (error) {
      // An index row that is not there (written by a version that kept other rows): the change
      // without the deletes, then each delete on its own. Readers check rows against the lead.
      if (!isStatus(error, 404) || deletes.length === 0) throw error;
      this.log.warn('a lead had other index rows than expected; writing it without them', { lead: next.id });
      etag = await this.tables.leads.transact(change, row);
      if (etag !== undefined)
        await Promise.all(
          remove.map((h) => this.tables.leads.remove(h.partitionKey, h.rowKey).catch(() => false)),
        );
    }
    if (etag === undefined) {
      this.rows.forgetSeen(next.id);
      return false;
    }
    this.rows.noteSeen({ lead: next, etag });
    if (emailMoved && before)
      await this.tables.index.remove(before.partitionKey, before.rowKey).catch(() => false);
    return true;
  }

  private async require(id: string): Promise<StoredLead> {
    const stored = await this.rows.read(id);
    if (!stored) throw new NotFoundError(`No lead ${id}.`);
    return stored;
  }
}

function tooBusy(leadId: string): StorageUnavailableError {
  return new StorageUnavailableError(`Lead ${leadId} is being changed by many writers at once; try again.`);
}
