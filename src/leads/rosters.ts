// Rosters decide scope (viewer.ts), so they must not be stale when access is decided: a roster
// older than a few minutes is read again before it is trusted, and a member Teams says has left
// is taken off at once. The reading itself is Teams' business (a port the Teams adapter fills).
import type { Lead } from './lead.js';
import type { Installation, Installations, RosterMember } from './store.js';

/** A roster older than this is read again before it decides access. */
export const ROSTER_MAX_AGE_MS = 5 * 60 * 1000;
/** A read that failed is not tried again for this long (the stored roster stands meanwhile). */
const RETRY_AFTER_FAILURE_MS = 60 * 1000;
/** Access is decided on the stored roster if a read takes longer; the read still lands. */
const WAIT_FOR_READ_MS = 3000;

/** Reads a team's roster from Teams, guests left out; rejects when it cannot. */
export interface RosterReader {
  readRoster(installation: Installation): Promise<RosterMember[]>;
}

export interface RosterKeeperDeps {
  store: Installations;
  now: () => Date;
  reader?: RosterReader | undefined;
  warn: (message: string, fields: Record<string, unknown>) => void;
}

export class RosterKeeper {
  private readonly reading = new Map<string, Promise<Installation>>();
  private readonly failedAt = new Map<string, number>();

  constructor(private readonly deps: RosterKeeperDeps) {}

  isStale(installation: Installation): boolean {
    const readAt = Date.parse(installation.membersReadAt ?? '');
    return !Number.isFinite(readAt) || this.deps.now().getTime() - readAt >= ROSTER_MAX_AGE_MS;
  }

  /**
   * The installations, those `wanted` with a stale roster read again first (at once for each team,
   * however many ask). A read that fails or is slow leaves the stored roster in place.
   */
  async fresh(installations: Installation[], wanted: (i: Installation) => boolean): Promise<Installation[]> {
    if (!this.deps.reader) return installations;
    return Promise.all(
      installations.map((i) =>
        wanted(i) && this.isStale(i) && !this.recentlyFailed(i) ? this.reread(i) : i,
      ),
    );
  }

  /** Reads the team's roster again now (a member joined); the stored one if that fails. */
  async reread(installation: Installation): Promise<Installation> {
    if (!this.deps.reader) return installation;
    const running = this.reading.get(installation.teamId) ?? this.read(installation);
    this.reading.set(installation.teamId, running);
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<Installation>((resolve) => {
      timer = setTimeout(() => resolve(installation), WAIT_FOR_READ_MS);
    });
    try {
      return await Promise.race([running, slow]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Teams said these people left the team: off its roster now, whatever the connector says later. */
  async removeMembers(teamId: string, userIds: readonly string[]): Promise<number> {
    const installation = await this.deps.store.getInstallation(teamId);
    if (!installation?.members) return 0;
    const leaving = new Set(userIds);
    const members = installation.members.filter((m) => !leaving.has(m.id) && !leaving.has(m.aadObjectId));
    const removed = installation.members.length - members.length;
    if (removed > 0) await this.deps.store.putInstallation({ ...installation, members });
    return removed;
  }

  private recentlyFailed(installation: Installation): boolean {
    const at = this.failedAt.get(installation.teamId);
    return at !== undefined && this.deps.now().getTime() - at < RETRY_AFTER_FAILURE_MS;
  }

  private async read(installation: Installation): Promise<Installation> {
    const reader = this.deps.reader as RosterReader;
    try {
      const members = await reader.readRoster(installation);
      // Read afresh: the installation may have changed (channels, a removal) while Teams answered.
      const current = (await this.deps.store.getInstallation(installation.teamId)) ?? installation;
      const updated = { ...current, members, membersReadAt: this.deps.now().toISOString() };
      await this.deps.store.putInstallation(updated);
      this.failedAt.delete(installation.teamId);
      return updated;
    } catch (error) {
      this.failedAt.set(installation.teamId, this.deps.now().getTime());
      this.deps.warn('team roster not read again; the stored one stands', {
        team: installation.teamId,
        error: error instanceof Error ? error.message.slice(0, 200) : String(error),
      });
      return installation;
    } finally {
      this.reading.delete(installation.teamId);
    }
  }
}

/** The roster of the team a lead was posted to (its Assign form's choices). */
export async function rosterForLead(lead: Lead, store: Installations): Promise<RosterMember[]> {
  for (const delivery of lead.deliveries) {
    const installation = await store.getInstallation(delivery.teamId);
    if (installation?.members?.length) return installation.members;
  }
  return [];
}
