import { type Activity, type TurnContext, teamsGetTeamInfo, teamsGetTenant } from 'botbuilder';
import type { Asker, Viewer } from '../leads/door.js';
import type { BotDeps } from './bot-deps.js';

const VIEWER = Symbol('viewer');

/** Who wrote or clicked, and from where, as the door needs to know it (it decides the rest). */
export function askerOf(activity: Activity): Asker {
  const from = activity.from;
  const teamId = teamsGetTeamInfo(activity)?.id;
  return {
    aadObjectId: from.aadObjectId ?? from.id,
    name: from.name ?? '',
    tenantId: teamsGetTenant(activity)?.id ?? activity.conversation?.tenantId,
    ...(teamId ? { teamId } : {}),
  };
}

/**
 * The person of this turn as the door sees them (their teams, manager or guest), asked once per
 * turn: the command table and the handler it runs both need it.
 */
export function viewerOf(context: TurnContext, deps: Pick<BotDeps, 'door'>): Promise<Viewer> {
  const known: Promise<Viewer> | undefined = context.turnState.get(VIEWER);
  if (known) return known;
  const viewer = deps.door.viewer(askerOf(context.activity));
  context.turnState.set(VIEWER, viewer);
  return viewer;
}
