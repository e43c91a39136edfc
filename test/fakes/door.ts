// A Door over a given store, its change port recording what it was told, for domain specs.
import type { LeadChange, LeadChanges } from '../../src/leads/changes.js';
import { Door } from '../../src/leads/door.js';
import type { Actor } from '../../src/leads/lifecycle.js';
import type { Installation, LeadStore } from '../../src/leads/store.js';
import type { Viewer } from '../../src/leads/viewer.js';

export class RecordingChanges implements LeadChanges {
  readonly changes: LeadChange[] = [];
  kicks = 0;
  async changed(change: LeadChange) {
    this.changes.push(change);
    return {};
  }
  received(): void {
    this.kicks++;
  }
}

export function doorOver(
  store: LeadStore,
  options: { now?: () => Date; managers?: string[]; contactVisibility?: 'team' | 'owner' } = {},
) {
  const changes = new RecordingChanges();
  const door = new Door({
    store,
    now: options.now ?? (() => new Date()),
    config: { managers: options.managers ?? [], contactVisibility: options.contactVisibility ?? 'team' },
    changes,
  });
  return { door, changes };
}

/** An actor as the door would see them from a team's channel (tests that decide roles by hand). */
export function viewerIn(team: Installation, actor: Actor): Viewer {
  return {
    ...actor,
    tenantId: team.tenantId,
    teams: actor.isGuest ? [] : [team],
    placeTeamId: team.teamId,
    foreignTeamIds: new Set(),
  };
}

export function installation(teamId: string, tenantId: string, memberIds: string[] = []): Installation {
  return {
    teamId,
    teamName: `Team ${teamId}`,
    tenantId,
    serviceUrl: 'http://127.0.0.1:1/',
    botId: '28:b',
    installedAt: '2026-11-24T09:00:00.000Z',
    channels: [{ id: `${teamId}-channel`, name: 'Leads' }],
    members: memberIds.map((id) => ({ id: `29:${id}`, aadObjectId: id, name: id.toUpperCase() })),
    membersReadAt: '2026-11-24T09:00:00.000Z',
  };
}
