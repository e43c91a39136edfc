import { type TurnContext, teamsGetTeamInfo } from 'botbuilder';
import type { BotDeps } from '../bot-deps.js';

/**
 * Someone left the team (or was removed): off its stored roster at once, so they lose the team's
 * leads in every surface (chat, cards, the tab) now, not when the roster is next read.
 */
export async function membersLeft(context: TurnContext, deps: BotDeps): Promise<void> {
  const teamId = teamsGetTeamInfo(context.activity)?.id;
  const gone = (context.activity.membersRemoved ?? []).flatMap((m) => [m.id, m.aadObjectId ?? '']);
  if (!teamId || gone.length === 0) return;
  const removed = await deps.door.rosters.removeMembers(teamId, gone.filter(Boolean));
  if (removed > 0) deps.log.info('members left the team', { team: teamId, removed });
}

/** Someone joined: the roster is read again (Teams says whether they are a guest), so they may work at once. */
export async function membersJoined(context: TurnContext, deps: BotDeps): Promise<void> {
  const teamId = teamsGetTeamInfo(context.activity)?.id;
  const installation = teamId ? await deps.store.getInstallation(teamId) : undefined;
  if (!installation) return;
  await deps.door.rosters.reread(installation);
}
