// Installations, routing, digests, checkpoints, leases and Teams sends: few rows, read whole.
// The settings table has one partition per kind (a handful of rows each, read with one query);
// sends go to the sends table, one partition per hour, so "the last hour" reads two partitions
// and old hours are never read again.

import { randomBytes } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { ConflictError, ValidationError } from '../../errors.js';
import type { AutoAssign, Away } from '../../leads/auto-assign-data.js';
import type { EventEndpoint } from '../../leads/event-cursor.js';
import type { Coordination, DigestSubscription, Installation, Routing, Send } from '../../leads/store.js';
import { getText, putText } from './columns.js';
import { toKey } from './keys.js';
import type { Table } from './table.js';

const HOUR_MS = 3_600_000;
/** Instances racing for one team's rotation: each loss means another lead was given out, so this is a burst of that many. */
const MAX_TURN_ATTEMPTS = 50;
/** recentSends looks back at most this far: the contract asks for one hour, kept with margin. */
const SENDS_KEPT_MS = 2 * HOUR_MS;
/** JSON in an entity: well inside its 1 MiB. */
const MAX_JSON_BYTES = 960_000;

export class SettingsRows implements Coordination {
  /** Each team's last automatic-assignment write queued in this instance. */
  private readonly turnQueue = new Map<string, Promise<unknown>>();
  constructor(
    private readonly settings: Table,
    private readonly sends: Table,
  ) {}

  putInstallation(installation: Installation): Promise<void> {
    return this.putJson(
      'installation',
      installation.teamId,
      installation,
      `the installation in team ${installation.teamId}`,
    );
  }

  getInstallation(teamId: string): Promise<Installation | undefined> {
    return this.getJson<Installation>('installation', teamId);
  }

  listInstallations(): Promise<Installation[]> {
    return this.listJson<Installation>('installation');
  }

  async removeInstallation(teamId: string): Promise<void> {
    await this.settings.remove('installation', toKey(teamId));
  }

  async countInstallations(): Promise<number> {
    return (await this.settings.partition('installation', ['RowKey'])).length;
  }

  async getRouting(): Promise<Routing> {
    return (await this.getJson<Routing>('routing', 'routing')) ?? { byStorefront: {} };
  }

  setRouting(routing: Routing): Promise<void> {
    return this.putJson('routing', 'routing', routing, 'the routing');
  }

  listDigests(): Promise<DigestSubscription[]> {
    return this.listJson<DigestSubscription>('digest');
  }

  putDigest(digest: DigestSubscription): Promise<void> {
    return this.putJson('digest', digest.conversationId, digest, 'the digest');
  }

  removeDigest(conversationId: string): Promise<boolean> {
    return this.settings.remove('digest', toKey(conversationId));
  }

  listEventEndpoints(): Promise<EventEndpoint[]> {
    return this.listJson<EventEndpoint>('eventendpoint');
  }

  putEventEndpoint(endpoint: EventEndpoint): Promise<void> {
    return this.putJson('eventendpoint', endpoint.key, endpoint, 'the events endpoint');
  }

  async removeEventEndpoint(key: string): Promise<void> {
    await this.settings.remove('eventendpoint', toKey(key));
  }

  /**
   * Read, then a conditional write (insert if none, replace at the etag read): of two instances
   * racing for a free lease, one write fails (409 or 412) and that one does not hold it.
   */
  async acquireLease(name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
    const row = { partitionKey: 'lease', rowKey: toKey(name), holder, until: now.getTime() + ttlMs };
    const current = await this.settings.get(row.partitionKey, row.rowKey);
    if (!current) return (await this.settings.insert(row)) !== undefined;
    if (current.holder !== holder && Number(current.until) > now.getTime()) return false;
    return (await this.settings.replace(row, current.etag)) !== undefined;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    const current = await this.settings.get('lease', toKey(name));
    if (current?.holder === holder) await this.settings.remove('lease', toKey(name), current.etag);
  }

  getAutoAssign(teamId: string): Promise<AutoAssign | undefined> {
    return this.getJson<AutoAssign>('autoassign', teamId);
  }

  /**
   * Read, change, then a conditional write (insert if none, replace at the etag read); a write that
   * loses to another instance's (409, 412) reads again and runs the change on what that one wrote.
   */
  updateAutoAssign(
    teamId: string,
    change: (current: AutoAssign | undefined) => AutoAssign | undefined,
  ): Promise<AutoAssign | undefined> {
    // One at a time per team in this instance: only other instances' writes can make one lose.
    const previous = this.turnQueue.get(teamId) ?? Promise.resolve();
    const next = previous.then(
      () => this.writeAutoAssign(teamId, change),
      () => this.writeAutoAssign(teamId, change),
    );
    const tail = next.catch(() => undefined);
    this.turnQueue.set(teamId, tail);
    void tail.then(() => {
      if (this.turnQueue.get(teamId) === tail) this.turnQueue.delete(teamId);
    });
    return next;
  }

  private async writeAutoAssign(
    teamId: string,
    change: (current: AutoAssign | undefined) => AutoAssign | undefined,
  ): Promise<AutoAssign | undefined> {
    for (let attempt = 1; ; attempt++) {
      const row = await this.settings.get('autoassign', toKey(teamId));
      const current = row ? (JSON.parse(getText(row, 'j')) as AutoAssign) : undefined;
      const next = change(current && structuredClone(current));
      if (!next) return current;
      const stored = { ...next, teamId };
      const written = { partitionKey: 'autoassign', rowKey: toKey(teamId) };
      this.checkSize(putText(written, 'j', JSON.stringify(stored)), 'the automatic assignment settings');
      const etag = row ? await this.settings.replace(written, row.etag) : await this.settings.insert(written);
      if (etag !== undefined) return stored;
      if (attempt >= MAX_TURN_ATTEMPTS)
        throw new ConflictError(
          `The automatic assignment of team ${teamId} changed ${MAX_TURN_ATTEMPTS} times while this change was made; try again.`,
          current,
        );
    }
  }

  listAway(): Promise<Away[]> {
    return this.listJson<Away>('away');
  }

  putAway(away: Away): Promise<void> {
    return this.putJson('away', away.aadObjectId, away, 'the absence');
  }

  removeAway(aadObjectId: string): Promise<boolean> {
    return this.settings.remove('away', toKey(aadObjectId));
  }

  async getCheckpoint(name: string): Promise<string | undefined> {
    const row = await this.settings.get('checkpoint', toKey(name));
    return row ? getText(row, 'c') : undefined;
  }

  async setCheckpoint(name: string, value: string): Promise<void> {
    const row = { partitionKey: 'checkpoint', rowKey: toKey(name) };
    putText(row, 'c', value);
    await this.settings.upsert(row);
  }

  /** One insert per send; the row key sorts by time, the random tail keeps two sends apart. */
  async recordSend(send: Send): Promise<void> {
    await this.sends.upsert({
      partitionKey: hourOf(send.at),
      rowKey: `${timeKey(send.at)}|${randomBytes(6).toString('hex')}`,
      thread: send.thread,
      tenant: send.tenant,
      at: send.at,
    });
  }

  async recentSends(since: number): Promise<Send[]> {
    const now = Date.now();
    const from = Math.max(since, now - SENDS_KEPT_MS);
    const hours: string[] = [];
    // One hour past now too: another instance's clock may run a little ahead.
    for (let h = Math.floor(from / HOUR_MS); h <= Math.floor(now / HOUR_MS) + 1; h++)
      hours.push(hourOf(h * HOUR_MS));
    const pages = await Promise.all(
      hours.map((hour) =>
        this.sends.query(odata`PartitionKey eq ${hour} and RowKey ge ${timeKey(from)}`, [
          'thread',
          'tenant',
          'at',
        ]),
      ),
    );
    return pages
      .flat()
      .map((r) => ({ thread: String(r.thread), tenant: String(r.tenant), at: Number(r.at) }))
      .filter((s) => s.at >= since)
      .sort((a, b) => a.at - b.at);
  }

  private async putJson(kind: string, name: string, value: unknown, what: string): Promise<void> {
    const row = { partitionKey: kind, rowKey: toKey(name) };
    this.checkSize(putText(row, 'j', JSON.stringify(value)), what);
    await this.settings.upsert(row);
  }

  private checkSize(bytes: number, what: string): void {
    if (bytes > MAX_JSON_BYTES)
      throw new ValidationError(
        `${what} is too large to store (${Math.round(bytes / 1024)} KB; the limit is about ${Math.round(MAX_JSON_BYTES / 1024)} KB). Nothing was changed.`,
        'too_large',
      );
  }

  private async getJson<T>(kind: string, name: string): Promise<T | undefined> {
    const row = await this.settings.get(kind, toKey(name));
    return row ? (JSON.parse(getText(row, 'j')) as T) : undefined;
  }

  private async listJson<T>(kind: string): Promise<T[]> {
    return (await this.settings.partition(kind)).map((row) => JSON.parse(getText(row, 'j')) as T);
  }
}

const hourOf = (at: number) => `h${Math.floor(at / HOUR_MS)}`;
/** Epoch ms, zero-padded so text order is time order. */
const timeKey = (at: number) => String(Math.max(0, Math.floor(at))).padStart(15, '0');
