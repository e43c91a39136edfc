// The door: the application layer every surface calls (chat commands, card clicks, the tab, digests,
// the message extension) with who is asking and from where. It decides scope (viewer.ts), access
// (access.ts) and what happens (lifecycle.ts, the store, the one change port), and answers with
// data or a refusal; surfaces only parse, call and render.
import { ConflictError } from '../errors.js';
import {
  type CommandAccess,
  commandRefusal,
  hidesContact,
  ownerOrManagerRefusal,
  type RefusalCode,
} from './access.js';
import { type AutoAssign, type Away, defaultAutoAssign, openLeadsPerOwner } from './auto-assign.js';
import {
  changeSettings,
  type RotationRow,
  rotationRows,
  type SettingsChange,
  type SettingsProblem,
} from './auto-assign-settings.js';
import type { AutoAssignment } from './auto-assignment.js';
import { type LeadChanges, owingTeams } from './changes.js';
import type { Lead, Storefront } from './lead.js';
import { applyAction, checkVersion, type LeadAction, RefusedError } from './lifecycle.js';
import type { Period } from './period.js';
import { eraseCustomer, leadsOfPerson } from './privacy.js';
import { myOpenLeads, unclaimedLeads } from './queries.js';
import { rollupSpan, type ScopedRollup } from './rollup-summary.js';
import { RosterKeeper, type RosterReader, rosterForLead } from './rosters.js';
import { assignChannel } from './routing.js';
import { matchesSearch } from './search.js';
import type {
  ChannelTarget,
  DigestSubscription,
  Installation,
  LeadStore,
  RosterMember,
  Routing,
} from './store.js';
import { type Asker, canSee, canSeeTeams, teamViewer, type Viewer, viewerOf, visibleTo } from './viewer.js';

export type { Asker, Viewer } from './viewer.js';

export interface DoorDeps {
  store: LeadStore;
  now: () => Date;
  config: { managers: readonly string[]; contactVisibility: 'team' | 'owner' };
  changes: LeadChanges;
  /** Counts manual assignments in the rotation; absent: automatic assignment is not used. */
  arrivals?: AutoAssignment | undefined;
  /** Reads a roster from Teams when the stored one is too old to decide access (absent: never re-read). */
  rosters?: RosterReader | undefined;
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

/** A lead as this viewer may see it: with the roster its Assign form offers, and whether its contact is hidden. */
export interface SeenLead {
  lead: Lead;
  viewer: Viewer;
  roster: RosterMember[];
  hideContact: boolean;
}

export interface ActRequest {
  leadId: string;
  /** The version the asker saw (on the card, in the tab): anything else is a stale action. */
  version: number;
  action: LeadAction;
}

/** What became of an action: every surface renders these, none decides them. */
export type ActOutcome =
  | { outcome: 'saved'; lead: Lead; previous: Lead; viewer: Viewer }
  | { outcome: 'stale'; current: Lead; viewer: Viewer }
  | { outcome: 'refused'; refusal: RefusalCode; lead: Lead; viewer: Viewer }
  /** No such lead, or not one this person may see here: the same answer, so nothing is learnt from it. */
  | { outcome: 'not_found' };

export type Refused = { refused: 'managers_only' };

/** A team's automatic assignment as its managers see it. */
export interface AutoAssignView {
  teamId: string;
  teamName: string;
  settings: AutoAssign;
  rotation: RotationRow[];
}

const SNOOZE_MS = 24 * 60 * 60 * 1000;

export class Door {
  readonly rosters: RosterKeeper;

  constructor(private readonly deps: DoorDeps) {
    this.rosters = new RosterKeeper({
      store: deps.store,
      now: deps.now,
      reader: deps.rosters,
      warn: deps.warn ?? (() => {}),
    });
  }

  /** Who this is, with every roster that decides it read again first if it is over a few minutes old. */
  async viewer(asker: Asker): Promise<Viewer> {
    const tenant = asker.tenantId?.toLowerCase();
    const installations = await this.rosters.fresh(
      await this.deps.store.listInstallations(),
      (i) =>
        i.tenantId.toLowerCase() === tenant &&
        (i.teamId === asker.teamId || (i.members?.some((m) => m.aadObjectId === asker.aadObjectId) ?? false)),
    );
    return viewerOf(asker, installations, this.deps.config.managers);
  }

  /** May this viewer use a command of that access? */
  mayUse(access: CommandAccess, viewer: Viewer): boolean {
    return commandRefusal(access, viewer, this.deps.config.managers) === undefined;
  }

  /** One lead, if this person may see it here; unknown and out of scope are the same `undefined`. */
  async lead(asker: Asker | Viewer, id: string): Promise<SeenLead | undefined> {
    const viewer = await this.resolve(asker);
    const lead = await this.deps.store.getLead(id);
    if (!lead || !canSee(lead, viewer)) return undefined;
    return this.seen(lead, viewer);
  }

  /** The lead as `viewer` sees it (for a lead already known to be in scope, e.g. just saved). */
  async seen(lead: Lead, viewer: Viewer): Promise<SeenLead> {
    const { roster } = await this.shared(lead);
    return {
      lead,
      viewer,
      roster,
      hideContact: hidesContact(lead, viewer, this.deps.config.contactVisibility),
    };
  }

  /** What a card seen by everyone (the channel's, a copy in a chat) shows: the Assign roster, contact hidden or not. */
  async shared(lead: Lead): Promise<{ roster: RosterMember[]; hideContact: boolean }> {
    return {
      roster: await this.rosterFor(lead),
      hideContact: hidesContact(lead, undefined, this.deps.config.contactVisibility),
    };
  }

  /** Their open leads, High priority first, then oldest. */
  async myLeads(asker: Asker): Promise<{ viewer: Viewer; leads: Lead[] }> {
    const viewer = await this.viewer(asker);
    const leads = myOpenLeads(visibleTo(await this.deps.store.listOpenLeads(), viewer), viewer.aadObjectId);
    return { viewer, leads };
  }

  /** Leads nobody has claimed yet that this person may see, High priority first, then oldest. */
  async unclaimed(asker: Asker): Promise<{ viewer: Viewer; leads: Lead[] }> {
    const viewer = await this.viewer(asker);
    return { viewer, leads: unclaimedLeads(visibleTo(await this.deps.store.listOpenLeads(), viewer)) };
  }

  /**
   * What to offer before anything is typed (the message extension's first look): their open
   * leads (most urgent first), then the newest nobody has claimed, each once.
   */
  async suggested(asker: Asker): Promise<{ viewer: Viewer; leads: Lead[] }> {
    const viewer = await this.viewer(asker);
    const open = visibleTo(await this.deps.store.listOpenLeads(), viewer);
    const mine = myOpenLeads(open, viewer.aadObjectId);
    const ids = new Set(mine.map((lead) => lead.id));
    const newest = unclaimedLeads(open).sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
    return { viewer, leads: [...mine, ...newest.filter((lead) => !ids.has(lead.id))] };
  }

  /** Leads this person may see that match every word, in what they may see of them, newest first. */
  async find(asker: Asker, text: string): Promise<{ viewer: Viewer; leads: Lead[] }> {
    const viewer = await this.viewer(asker);
    // The store finds candidates on everything; this person's words match only what they may see.
    const matches = matchesSearch(text, { viewer, visibility: this.deps.config.contactVisibility });
    const found = visibleTo(await this.deps.store.searchLeads(text), viewer).filter(matches);
    return { viewer, leads: found };
  }

  /** The leads in this person's view (received in `period`, or all): the tab's list, board and export. */
  async visibleLeads(viewer: Viewer, period?: Pick<Period, 'from' | 'to'>): Promise<Lead[]> {
    if (viewer.isGuest) return [];
    const leads = period
      ? await this.deps.store.listLeadsReceived(period.from, period.to)
      : await this.deps.store.listLeads();
    return visibleTo(leads, viewer);
  }

  /**
   * The leads a summary of `period` counts, for a manager (or anyone but a guest where MANAGERS is
   * empty): a team's channel counts that team's, a personal chat every team the asker may see.
   */
  async summaryLeads(
    asker: Asker | Viewer,
    period: Period,
    /** One of their teams only (the tab in a team's channel). */
    teamId?: string,
  ): Promise<{ viewer: Viewer; leads: Lead[] } | Refused> {
    const viewer = await this.resolve(asker);
    if (!this.mayUse('managers', viewer)) return { refused: 'managers_only' };
    const leads = await this.visibleLeads(viewer, period);
    return {
      viewer,
      leads: teamId ? leads.filter((lead) => lead.deliveries.some((d) => d.teamId === teamId)) : leads,
    };
  }

  /**
   * What a digest covers: in a team's channel that team's leads; in a chat, those its reader may
   * see. A digest from before digests were scoped, set in a chat, names no reader: it covers
   * nothing (undefined), and is to be set again.
   */
  async digestLeads(digest: DigestSubscription, period: Period): Promise<Lead[] | undefined> {
    const installations = await this.deps.store.listInstallations();
    const team = installations.find((i) =>
      digest.teamId ? i.teamId === digest.teamId : i.channels.some((c) => c.id === digest.conversationId),
    );
    if (team) return this.visibleLeads(teamViewer(team), period);
    if (!digest.reader) return undefined;
    const viewer = await this.viewer({ ...digest.reader, tenantId: digest.tenantId });
    return this.visibleLeads(viewer, period);
  }

  /**
   * `summaryLeads` as rollups: the cells of the period's whole days and the leads of its partial
   * days, each narrowed here to what this viewer may see (a cell holds the leads of one set of
   * teams, so scope is decided on it as on a lead).
   */
  async summaryRollup(
    asker: Asker | Viewer,
    period: Period,
    timeZone: string,
    teamId?: string,
  ): Promise<{ viewer: Viewer; scoped: ScopedRollup } | Refused> {
    const viewer = await this.resolve(asker);
    if (!this.mayUse('managers', viewer)) return { refused: 'managers_only' };
    return { viewer, scoped: await this.scopedRollup(viewer, period, timeZone, teamId) };
  }

  /** `digestLeads` as rollups: the same scope (the team's, or the reader's), undefined likewise. */
  async digestRollup(
    digest: DigestSubscription,
    period: Period,
    timeZone: string,
  ): Promise<ScopedRollup | undefined> {
    const installations = await this.deps.store.listInstallations();
    const team = installations.find((i) =>
      digest.teamId ? i.teamId === digest.teamId : i.channels.some((c) => c.id === digest.conversationId),
    );
    if (team) return this.scopedRollup(teamViewer(team), period, timeZone);
    if (!digest.reader) return undefined;
    const viewer = await this.viewer({ ...digest.reader, tenantId: digest.tenantId });
    return this.scopedRollup(viewer, period, timeZone);
  }

  private async scopedRollup(
    viewer: Viewer,
    period: Period,
    timeZone: string,
    teamId?: string,
  ): Promise<ScopedRollup> {
    if (viewer.isGuest) return { cells: [], edges: [] };
    const sees = (teams: readonly string[]) =>
      canSeeTeams(teams, viewer) && (teamId === undefined || teams.includes(teamId));
    const seen = (leads: Lead[]) => leads.filter((lead) => sees(lead.deliveries.map((d) => d.teamId)));
    const { store } = this.deps;
    if (!store.rollupCells) {
      return { cells: [], edges: seen(await store.listLeadsReceived(period.from, period.to)) };
    }
    const span = rollupSpan(period, timeZone);
    const cells = (await store.rollupCells(span.fromDay, span.toDay, timeZone)).filter((cell) =>
      sees(cell.teams === '' ? [] : cell.teams.split(' ')),
    );
    const { days, ranges } = span.edges(cells.filter((cell) => cell.day === span.toDay));
    const edges = await Promise.all(ranges.map((range) => store.listLeadsReceived(range.from, range.to)));
    return { cells: cells.filter((cell) => !days.includes(cell.day)), edges: seen(edges.flat()) };
  }

  /**
   * Acting on a lead, for every surface: the lead must be one this person may see here, the
   * version the one they saw, the action allowed to them in this status; the store saves it only
   * from that version, so of two people one wins and the other is told who did what. A saved
   * change goes out through the one change port (cards, the new owner, lead events), after the
   * answer: what it owes Teams is saved with it (owingTeams), so the answer waits for no call.
   */
  async act(asker: Asker | Viewer, request: ActRequest): Promise<ActOutcome> {
    const viewer = await this.resolve(asker);
    const lead = await this.deps.store.getLead(request.leadId);
    if (!lead || !canSee(lead, viewer)) return { outcome: 'not_found' };
    const by = { aadObjectId: viewer.aadObjectId, name: viewer.name };
    let saved: Lead;
    try {
      checkVersion(lead, request.version);
      const now = this.deps.now();
      const changed = applyAction(lead, request.action, viewer, now);
      const verb = request.action.verb;
      saved = await this.deps.store.saveLead(
        owingTeams(changed, { verb, by }, lead.version, now),
        lead.version,
      );
    } catch (error) {
      // A stale card, or another person saving first: either way they see the current lead.
      if (error instanceof ConflictError) return { outcome: 'stale', current: error.current as Lead, viewer };
      if (error instanceof RefusedError) return { outcome: 'refused', refusal: error.refusal, lead, viewer };
      throw error;
    }
    // The rotation counts it (a turn; never a reason to keep the clicker waiting).
    void this.deps.arrivals?.assignedByHand(saved, lead);
    this.deps.changes.changed({ lead: saved, verb: request.action.verb, by });
    return { outcome: 'saved', lead: saved, previous: lead, viewer };
  }

  /**
   * `forget <e-mail>`: that person's data erased from every lead (a listed manager's call, never a
   * member's), each change told through the one port. The count of leads erased.
   */
  async forget(asker: Asker | Viewer, email: string): Promise<{ erased: number } | Refused> {
    const viewer = await this.resolve(asker);
    if (!this.mayUse('listed managers', viewer)) return { refused: 'managers_only' };
    const leads = leadsOfPerson(await this.deps.store.findByEmail(email), email);
    const by = { aadObjectId: viewer.aadObjectId, name: viewer.name };
    for (const lead of leads) {
      const now = this.deps.now();
      const erased = await this.deps.store.saveLead(
        owingTeams(eraseCustomer(lead, by, 'request', now), { verb: 'erased', by }, lead.version, now),
        lead.version,
      );
      this.deps.changes.changed({ lead: erased, verb: 'erased', by });
    }
    return { erased: leads.length };
  }

  /** `use this channel for [storefront] leads`: a manager's, in a team's channel. The routing now. */
  async setLeadChannel(
    asker: Asker | Viewer,
    target: ChannelTarget,
    storefront?: Storefront,
  ): Promise<{ routing: Routing } | Refused> {
    const viewer = await this.resolve(asker);
    if (!this.mayUse('managers', viewer)) return { refused: 'managers_only' };
    const routing = assignChannel(await this.deps.store.getRouting(), target, storefront);
    await this.deps.store.setRouting(routing);
    return { routing };
  }

  /** An owner's nudge put off for a day (the owner's or a manager's call). */
  async snooze(
    asker: Asker | Viewer,
    leadId: string,
  ): Promise<{ until: string } | { refusal: RefusalCode; lead: Lead } | undefined> {
    const viewer = await this.resolve(asker);
    const lead = await this.deps.store.getLead(leadId);
    if (!lead || !canSee(lead, viewer)) return undefined;
    const refusal = ownerOrManagerRefusal(lead, viewer);
    if (refusal) return { refusal, lead };
    const until = new Date(this.deps.now().getTime() + SNOOZE_MS).toISOString();
    await this.deps.store.updateReminders(lead.id, { snoozedUntil: until, nudgedAt: undefined });
    return { until };
  }

  /**
   * A team's automatic assignment, for its managers (anyone on it where MANAGERS is empty): in
   * chat, the team of the channel asked from; in the tab, one of the teams they may see.
   */
  async autoAssign(asker: Asker | Viewer, teamId: string): Promise<AutoAssignView | Refused | undefined> {
    const viewer = await this.resolve(asker);
    const team = await this.teamOf(viewer, teamId);
    if (!team) return undefined;
    if (!this.mayUse('managers', viewer)) return { refused: 'managers_only' };
    const settings = (await this.deps.store.getAutoAssign(teamId)) ?? defaultAutoAssign(teamId);
    return this.autoAssignView(team, settings);
  }

  /** `auto-assign on|off|only|everyone|capacity|rule|rules clear`: a manager's, for their team. */
  async changeAutoAssign(
    asker: Asker | Viewer,
    teamId: string,
    change: SettingsChange,
  ): Promise<{ view: AutoAssignView } | SettingsProblem | Refused | undefined> {
    const viewer = await this.resolve(asker);
    const team = await this.teamOf(viewer, teamId);
    if (!team) return undefined;
    if (!this.mayUse('managers', viewer)) return { refused: 'managers_only' };
    const by = { aadObjectId: viewer.aadObjectId, name: viewer.name };
    const at = this.deps.now().toISOString();
    let problem: SettingsProblem | undefined;
    const stored = await this.deps.store.updateAutoAssign(teamId, (current) => {
      const next = changeSettings(current, teamId, change, team.members ?? [], by, at);
      problem = 'invalid' in next ? next : undefined;
      return 'invalid' in next ? undefined : next;
    });
    if (problem) return problem;
    return { view: await this.autoAssignView(team, stored ?? defaultAutoAssign(teamId)) };
  }

  /** `away until <date>` / `away off`: anyone's own, anywhere (not assigned automatically meanwhile). */
  async setAway(
    asker: Asker | Viewer,
    until: Date | undefined,
  ): Promise<{ away?: Away } | { refused: 'guest' }> {
    const viewer = await this.resolve(asker);
    if (viewer.isGuest) return { refused: 'guest' };
    if (!until) {
      await this.deps.store.removeAway(viewer.aadObjectId);
      return {};
    }
    const away: Away = {
      aadObjectId: viewer.aadObjectId,
      name: viewer.name,
      until: until.toISOString(),
      setAt: this.deps.now().toISOString(),
    };
    await this.deps.store.putAway(away);
    return { away };
  }

  private async autoAssignView(team: Installation, settings: AutoAssign): Promise<AutoAssignView> {
    const [away, open] = await Promise.all([this.deps.store.listAway(), this.deps.store.listOpenLeads()]);
    const counts = openLeadsPerOwner(open);
    return {
      teamId: team.teamId,
      teamName: team.teamName,
      settings,
      rotation: rotationRows(settings, team.members ?? [], away, counts, this.deps.now()),
    };
  }

  /** The team, if this viewer may look at it: one whose roster lists them, or any of their tenant's for a manager. */
  private async teamOf(viewer: Viewer, teamId: string): Promise<Installation | undefined> {
    if (viewer.isGuest || viewer.foreignTeamIds.has(teamId)) return undefined;
    if (viewer.placeTeamId !== undefined && viewer.placeTeamId !== teamId) return undefined;
    const mine = viewer.teams.find((t) => t.teamId === teamId);
    if (mine || !viewer.isManager) return mine;
    const team = await this.deps.store.getInstallation(teamId);
    const tenant = viewer.tenantId?.toLowerCase();
    return team && tenant !== undefined && team.tenantId.toLowerCase() === tenant ? team : undefined;
  }

  /** The roster of the team a lead was posted to (the Assign form's choices). */
  rosterFor(lead: Lead): Promise<RosterMember[]> {
    return rosterForLead(lead, this.deps.store);
  }

  private resolve(asker: Asker | Viewer): Promise<Viewer> {
    return 'foreignTeamIds' in asker ? Promise.resolve(asker) : this.viewer(asker);
  }
}
