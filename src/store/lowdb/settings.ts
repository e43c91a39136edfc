// The embedded store's settings, kept in the small settings file (settings-file.ts): installations
// and rosters, routing, digests, checkpoints, lead-event endpoints, the months that hold leads.
// Changes queue and go to disk in one write; `meta` takes them only once they are there.
import type { AutoAssign, Away } from '../../leads/auto-assign-data.js';
import type { EventEndpoint } from '../../leads/event-cursor.js';
import type { DigestSubscription, Installation, Routing } from '../../leads/store.js';
import type { DurableJsonFile } from '../durable-json-file.js';
import { WriteCoalescer } from '../write-coalescer.js';
import type { Meta } from './settings-file.js';

/** How long a turn may wait for the settings write it shares with the others. */
const TURNS_MS = 1000;

export abstract class LowdbSettings {
  /** Changes to the settings file waiting for the next write; applied to `meta` only once on disk. */
  private readonly metaChanges: Array<(meta: Meta) => Meta> = [];
  private readonly metaWrites = new WriteCoalescer(() => this.writeMeta());
  /**
   * Turns decided since the last settings write, the latest per team, and what each team's callers
   * wait on: one promise per team per write, so a burst of leads holds no closure per lead.
   */
  private turns: { teams: Map<string, TurnWrite>; write: () => void; written: Promise<void> } | undefined;
  private turnsTimer: ReturnType<typeof setTimeout> | undefined;
  /** Automatic-assignment settings decided and on their way to disk, per team (see updateAutoAssign). */
  private readonly decided = new Map<string, AutoAssign>();

  constructor(
    protected meta: Meta,
    private readonly metaFile: DurableJsonFile<Meta>,
  ) {}

  /** Runs a write only if this process may write (the lock), noting whether writes work. */
  protected abstract guardWrite<T>(write: () => Promise<T>): Promise<T>;
  /** The lead-event endpoints on disk changed. */
  protected abstract eventEndpointsChanged(): Promise<void>;

  /** Resolves once no settings write is on its way (turns waiting for theirs are written now). */
  protected async settingsWritten(): Promise<void> {
    this.writeTurns();
    await this.metaWrites.idle();
  }

  async listEventEndpoints(): Promise<EventEndpoint[]> {
    return structuredClone(this.meta.eventEndpoints ?? []);
  }

  async putEventEndpoint(endpoint: EventEndpoint): Promise<void> {
    const copy = structuredClone(endpoint);
    await this.changeMeta((meta) => ({
      ...meta,
      eventEndpoints: [...(meta.eventEndpoints ?? []).filter((e) => e.key !== copy.key), copy],
    }));
    await this.eventEndpointsChanged();
  }

  async removeEventEndpoint(key: string): Promise<void> {
    await this.changeMeta((meta) => ({
      ...meta,
      eventEndpoints: (meta.eventEndpoints ?? []).filter((e) => e.key !== key),
    }));
    await this.eventEndpointsChanged();
  }

  putInstallation(installation: Installation): Promise<void> {
    return this.changeMeta((meta) => ({
      ...meta,
      installations: [...meta.installations.filter((i) => i.teamId !== installation.teamId), installation],
    }));
  }

  async getInstallation(teamId: string): Promise<Installation | undefined> {
    return this.meta.installations.find((i) => i.teamId === teamId);
  }

  async listInstallations(): Promise<Installation[]> {
    return [...this.meta.installations];
  }

  removeInstallation(teamId: string): Promise<void> {
    return this.changeMeta((meta) => ({
      ...meta,
      installations: meta.installations.filter((i) => i.teamId !== teamId),
    }));
  }

  async listDigests(): Promise<DigestSubscription[]> {
    return [...this.meta.digests];
  }

  putDigest(digest: DigestSubscription): Promise<void> {
    return this.changeMeta((meta) => ({
      ...meta,
      digests: [...meta.digests.filter((d) => d.conversationId !== digest.conversationId), digest],
    }));
  }

  async removeDigest(conversationId: string): Promise<boolean> {
    const had = this.meta.digests.some((d) => d.conversationId === conversationId);
    await this.changeMeta((meta) => ({
      ...meta,
      digests: meta.digests.filter((d) => d.conversationId !== conversationId),
    }));
    return had;
  }

  /** Read only (frozen): asked for every lead received, so handed out as held rather than copied. */
  async getRouting(): Promise<Routing> {
    return frozen(this.meta.routing);
  }

  setRouting(routing: Routing): Promise<void> {
    const copy = structuredClone(routing);
    return this.changeMeta((meta) => ({ ...meta, routing: copy }));
  }

  /** Read only (frozen): asked at every arrival, so handed out as held rather than copied. */
  async getAutoAssign(teamId: string): Promise<AutoAssign | undefined> {
    const found = this.decided.get(teamId) ?? this.meta.autoAssign?.find((a) => a.teamId === teamId);
    return found && frozen(found);
  }

  /**
   * Decided at once, on the settings as the changes before it left them (one process holds the
   * folder: the lock), so `change` runs synchronously, once; resolves when it is on disk. A caller
   * may start its own write meanwhile (intake stores the lead beside its turn).
   */
  updateAutoAssign(
    teamId: string,
    change: (current: AutoAssign | undefined) => AutoAssign | undefined,
    durability: 'now' | 'soon' = 'now',
  ): Promise<AutoAssign | undefined> {
    const current = this.decided.get(teamId) ?? this.meta.autoAssign?.find((a) => a.teamId === teamId);
    // Frozen, not copied: `change` builds the next settings from them (as takeTurn does) and what
    // it returns is frozen as kept, so nobody can change the settings behind the store's back.
    const next = change(current && frozen(current));
    if (!next) return Promise.resolve(current && frozen(current));
    const stored = frozen({ ...next, teamId });
    this.decided.set(teamId, stored);
    if (durability === 'soon') return this.soon(teamId, stored);
    // Turns of this team still waiting for their write would put older settings back over these.
    const waiting = this.turns?.teams.get(teamId);
    if (waiting) waiting.stored = stored;
    return this.changeMeta((meta) => withAutoAssign(meta, [stored]))
      .finally(() => this.settle(teamId, stored))
      .then(() => stored);
  }

  /** Written or refused, what is on disk decides again for this team (unless decided since). */
  private settle(teamId: string, stored: AutoAssign): void {
    if (this.decided.get(teamId) === stored) this.decided.delete(teamId);
  }

  /**
   * Turns go to disk together at most every TURNS_MS: one settings write per second instead of one
   * per group of leads (each a file rewrite and two fsyncs, which held intake back by a third).
   * Resolves with the team's settings as that write left them (this turn or a later one).
   */
  private soon(teamId: string, stored: AutoAssign): Promise<AutoAssign> {
    this.turns ??= this.nextTurnsWrite();
    const pending = this.turns.teams.get(teamId);
    if (pending) {
      pending.stored = stored;
      return pending.written;
    }
    const turn: TurnWrite = { stored, written: this.turns.written.then(() => turn.stored) };
    this.turns.teams.set(teamId, turn);
    return turn.written;
  }

  /** The settings write the next turns share, started by writeTurns (after TURNS_MS, or at a stop). */
  private nextTurnsWrite(): NonNullable<typeof this.turns> {
    const teams = new Map<string, TurnWrite>();
    let write = () => {};
    const written = new Promise<void>((resolve, reject) => {
      // Called by writeTurns, which a stop awaits: the write is queued before it returns.
      write = () => {
        this.changeMeta((meta) =>
          withAutoAssign(
            meta,
            [...teams.values()].map((t) => t.stored),
          ),
        ).then(resolve, reject);
      };
    });
    const settle = () => {
      for (const [team, turn] of teams) this.settle(team, turn.stored);
    };
    written.then(settle, settle);
    this.turnsTimer = setTimeout(() => this.writeTurns(), TURNS_MS);
    return { teams, write, written };
  }

  private writeTurns(): void {
    if (this.turnsTimer) clearTimeout(this.turnsTimer);
    this.turnsTimer = undefined;
    const turns = this.turns;
    this.turns = undefined;
    turns?.write();
  }

  /** Read only (frozen): asked at every arrival a team gives out, so handed out as held. */
  async listAway(): Promise<Away[]> {
    return frozen(this.meta.away ?? NOBODY_AWAY);
  }

  putAway(away: Away): Promise<void> {
    const copy = structuredClone(away);
    return this.changeMeta((meta) => ({
      ...meta,
      away: [...(meta.away ?? []).filter((a) => a.aadObjectId !== copy.aadObjectId), copy],
    }));
  }

  async removeAway(aadObjectId: string): Promise<boolean> {
    const had = (this.meta.away ?? []).some((a) => a.aadObjectId === aadObjectId);
    await this.changeMeta((meta) => ({
      ...meta,
      away: (meta.away ?? []).filter((a) => a.aadObjectId !== aadObjectId),
    }));
    return had;
  }

  async getCheckpoint(name: string): Promise<string | undefined> {
    return this.meta.checkpoints?.[name];
  }

  /** In the settings file, so it is as durable as routing (resolves once on disk). */
  setCheckpoint(name: string, value: string): Promise<void> {
    return this.changeMeta((meta) => ({ ...meta, checkpoints: { ...meta.checkpoints, [name]: value } }));
  }

  /** A month about to get its first lead: listed before anything in it is acknowledged. */
  protected listMonth(key: string): Promise<void> {
    if (this.meta.months?.includes(key)) return Promise.resolve();
    return this.changeMeta((meta) => ({
      ...meta,
      months: [...new Set([...(meta.months ?? []), key])].sort(),
    }));
  }

  protected changeMeta(change: (meta: Meta) => Meta): Promise<void> {
    return this.guardWrite(() => {
      this.metaChanges.push(change);
      return this.metaWrites.persist();
    });
  }

  /** One write for every change queued; `meta` takes them only once they are on disk. */
  private async writeMeta(): Promise<void> {
    const changes = this.metaChanges.splice(0);
    if (changes.length === 0) return;
    const next = changes.reduce((meta, change) => change(meta), this.meta);
    await this.metaFile.write(next);
    this.meta = next;
  }
}

const NOBODY_AWAY: Away[] = [];

/** A team's latest turn waiting for the next settings write, and what its callers wait on. */
interface TurnWrite {
  stored: AutoAssign;
  written: Promise<AutoAssign>;
}

/** `meta` with these teams' settings replaced. */
function withAutoAssign(meta: Meta, settings: readonly AutoAssign[]): Meta {
  const teams = new Set(settings.map((a) => a.teamId));
  return {
    ...meta,
    autoAssign: [...(meta.autoAssign ?? []).filter((a) => !teams.has(a.teamId)), ...settings],
  };
}

/** `value` and everything in it frozen, in place (plain data: objects and arrays). */
function frozen<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const key in value) frozen(value[key]);
  return Object.freeze(value);
}
