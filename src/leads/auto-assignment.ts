// Automatic assignment at work: a new lead of a team with auto-assign on is given, before it is
// stored, to the person its rule or the rotation picks (auto-assign.ts), the turn taken with the
// store's conditional write; manual assignments take a turn too, so the rotation stays even.
import {
  type AutoAssignMiss,
  assignAutomatically,
  assignable,
  awayAt,
  type OwnerPick,
  openLeadsPerOwner,
  pickOwner,
  takeTurn,
} from './auto-assign.js';
import type { Lead } from './lead.js';
import type { LeadStore } from './store.js';

export interface AutoAssignmentDeps {
  store: LeadStore;
  /** Where whether a team has auto-assign on is read (a brief cache on Azure); default `store`. */
  settings?: Pick<LeadStore, 'getAutoAssign'>;
  now: () => Date;
  warn: (message: string, fields: Record<string, unknown>) => void;
}

export interface Arrival {
  /** The lead to store: given to someone, marked with why nobody could have it, or as it came. */
  lead: Lead;
  /** Call once the lead is stored (or was not): its owner's count no longer needs holding. */
  settled: () => void;
}

export class AutoAssignment {
  /** Leads picked for someone and not stored yet, per person: capacity counts them. */
  private readonly inFlight = new Map<string, number>();
  /** Turn writes already given a warning for their failure. */
  private readonly watched = new WeakSet<Promise<unknown>>();

  constructor(private readonly deps: AutoAssignmentDeps) {}

  /**
   * A lead about to be stored: when its team has auto-assign on, its owner. Never throws: a lead
   * is stored whatever happens here (a store that cannot take the turn leaves it to be claimed).
   */
  async onArrival(lead: Lead): Promise<Arrival> {
    const unchanged = { lead, settled: () => {} };
    const teamId = lead.deliveries[0]?.teamId;
    if (!teamId || !assignable(lead)) return unchanged;
    try {
      const settings = await (this.deps.settings ?? this.deps.store).getAutoAssign(teamId);
      if (!settings?.enabled) return unchanged;
      const now = this.deps.now();
      const [installation, away, open] = await Promise.all([
        this.deps.store.getInstallation(teamId),
        this.deps.store.listAway(),
        settings.capacity !== undefined ? this.openLeadsByOwner() : new Map<string, number>(),
      ]);
      const context = { roster: installation?.members ?? [], away: awayAt(away, now), openLeads: open, now };
      const at = now.toISOString();
      let pick: OwnerPick | undefined;
      let decided = false;
      // The store runs this on the turns as stored; with two instances racing, again on the winner's.
      const written = this.deps.store.updateAutoAssign(
        teamId,
        (current) => {
          decided = true;
          pick = current?.enabled ? pickOwner(lead, current, context) : undefined;
          return pick && 'person' in pick && current ? takeTurn(current, pick.person, at) : undefined;
        },
        'soon',
      );
      // A store that decides at once (the embedded one: one process holds the data) has the turn in
      // memory now and writes it with the others within a second, which the lead does not wait
      // for: a crash in between can forget the last turns (someone may get one lead more), never a
      // lead or its owner; a clean stop writes them. A store that reads first (Azure) decides only
      // once its conditional write is in.
      if (!decided) await written;
      this.warnIfLost(written, teamId);
      const chosen = pick as OwnerPick | undefined;
      if (!chosen) return unchanged;
      if ('why' in chosen) {
        const miss: AutoAssignMiss = { at, why: chosen.why, ...(chosen.rule ? { rule: chosen.rule } : {}) };
        return { lead: { ...lead, autoAssignMiss: miss }, settled: () => {} };
      }
      const id = chosen.person.aadObjectId;
      this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + 1);
      let done = false;
      return {
        lead: assignAutomatically(lead, chosen.person, chosen.how, at),
        settled: () => {
          if (done) return;
          done = true;
          const left = (this.inFlight.get(id) ?? 1) - 1;
          if (left > 0) this.inFlight.set(id, left);
          else this.inFlight.delete(id);
        },
      };
    } catch (error) {
      this.deps.warn('automatic assignment failed; the lead waits to be claimed', {
        lead: lead.id,
        team: teamId,
        error: error instanceof Error ? error.message.slice(0, 200) : String(error),
      });
      return unchanged;
    }
  }

  /**
   * A lead given to someone by hand (claimed, assigned, qualified by its new owner): their turn in
   * the rotation of every team it belongs to, so the least recently assigned still goes next.
   */
  async assignedByHand(lead: Lead, previous: Lead): Promise<void> {
    const owner = lead.owner;
    if (!owner || owner.aadObjectId === previous.owner?.aadObjectId) return;
    const at = this.deps.now().toISOString();
    const teams = [...new Set(lead.deliveries.map((d) => d.teamId))];
    await Promise.all(
      teams.map((teamId) =>
        this.deps.store
          .updateAutoAssign(teamId, (current) => (current ? takeTurn(current, owner, at) : undefined), 'soon')
          .catch((error: unknown) =>
            this.deps.warn('could not count a manual assignment in the rotation', {
              lead: lead.id,
              team: teamId,
              error: error instanceof Error ? error.message.slice(0, 200) : String(error),
            }),
          ),
      ),
    );
  }

  /**
   * Says once per write (a store writing turns together hands the same promise to every lead of
   * the burst) when the rotation could not keep its turns; the leads keep their owners.
   */
  private warnIfLost(written: Promise<unknown>, teamId: string): void {
    if (this.watched.has(written)) return;
    this.watched.add(written);
    written.catch((error: unknown) =>
      this.deps.warn('the rotation could not keep its latest turns; the leads keep their owners', {
        team: teamId,
        error: error instanceof Error ? error.message.slice(0, 200) : String(error),
      }),
    );
  }

  /** Open leads per owner, with the ones picked but not stored yet. */
  async openLeadsByOwner(): Promise<Map<string, number>> {
    return openLeadsPerOwner(await this.deps.store.listOpenLeads(), new Map(this.inFlight));
  }
}
