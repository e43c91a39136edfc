import {
  TeamsInfo,
  type TurnContext,
  teamsGetChannelId,
  teamsGetSelectedChannelId,
  teamsGetTeamInfo,
  teamsGetTenant,
} from 'botbuilder';
import type { ChannelInfo, Installation } from '../leads/store.js';
import { describeError } from '../log.js';
import type { BotDeps } from './bot-deps.js';
import { readRoster } from './roster.js';

/** The team of this turn, recorded (or refreshed) with what proactive posts need. */
export async function recordInstallation(
  context: TurnContext,
  deps: BotDeps,
): Promise<{ installation: Installation; isNew: boolean } | undefined> {
  const activity = context.activity;
  const team = teamsGetTeamInfo(activity);
  if (!team?.id) return undefined;
  const existing = await deps.store.getInstallation(team.id);
  const installation: Installation = {
    teamId: team.id,
    teamName: team.name ?? existing?.teamName ?? '',
    tenantId: teamsGetTenant(activity)?.id ?? activity.conversation.tenantId ?? existing?.tenantId ?? '',
    serviceUrl: activity.serviceUrl,
    botId: activity.recipient.id,
    installedAt: existing?.installedAt ?? deps.now().toISOString(),
    channels: await readChannels(context, team.id, deps),
    ...(await rosterOrLast(context, team.id, existing, deps)),
  };
  await deps.store.putInstallation(installation);
  return { installation, isNew: !existing };
}

/**
 * A message from a team the bot has no record of (its install event was missed or came before a
 * reset): recorded first, roster and all, so the door can tell who is on the team.
 */
export async function recordIfUnknown(context: TurnContext, deps: BotDeps): Promise<void> {
  const teamId = teamsGetTeamInfo(context.activity)?.id;
  if (teamId && !(await deps.store.getInstallation(teamId))) await recordInstallation(context, deps);
}

/** The channel this turn happened in (the one picked at install time, if any). */
export function currentChannelId(context: TurnContext): string | undefined {
  const activity = context.activity;
  return (
    teamsGetSelectedChannelId(activity) ||
    teamsGetChannelId(activity) ||
    teamsGetTeamInfo(activity)?.id ||
    undefined
  );
}

async function readChannels(context: TurnContext, teamId: string, deps: BotDeps): Promise<ChannelInfo[]> {
  try {
    const channels = await TeamsInfo.getTeamChannels(context, teamId);
    // The General channel comes back without a name.
    return channels.map((c) => ({ id: c.id ?? '', name: c.name || 'General' })).filter((c) => c.id !== '');
  } catch (error) {
    deps.log.warn('could not list team channels', { error: describeError(error) });
    const id = currentChannelId(context);
    return id ? [{ id, name: '' }] : [];
  }
}

/** The roster as Teams has it now; the last one read if Teams cannot say (a failed read is no empty team). */
async function rosterOrLast(
  context: TurnContext,
  teamId: string,
  existing: Installation | undefined,
  deps: BotDeps,
): Promise<Pick<Installation, 'members' | 'membersReadAt'>> {
  try {
    return { members: await readRoster(context, teamId), membersReadAt: deps.now().toISOString() };
  } catch (error) {
    deps.log.warn('could not read the team roster', { error: describeError(error) });
    return {
      members: existing?.members ?? [],
      ...(existing?.membersReadAt ? { membersReadAt: existing.membersReadAt } : {}),
    };
  }
}
