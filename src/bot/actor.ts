import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Actor } from '../leads/lifecycle.js';
import { describeError } from '../log.js';
import type { BotDeps } from './bot-deps.js';

/**
 * Who clicked or typed, looked up in the roster: the activity alone does not say whether the user
 * is a guest. If the roster cannot be read the actor is treated as a guest (fail closed).
 */
export async function resolveActor(
  context: TurnContext,
  deps: Pick<BotDeps, 'config' | 'log'>,
): Promise<Actor> {
  const from = context.activity.from;
  const base = { aadObjectId: from.aadObjectId ?? from.id, name: from.name ?? '' };
  try {
    const member = await TeamsInfo.getMember(context, from.id);
    const isGuest = member.userRole === 'guest';
    const identities = [member.aadObjectId, member.userPrincipalName, member.email, base.aadObjectId]
      .filter((v): v is string => typeof v === 'string' && v !== '')
      .map((v) => v.toLowerCase());
    const isManager = !isGuest && identities.some((id) => deps.config.managers.includes(id));
    return { ...base, name: member.name || base.name, isGuest, isManager };
  } catch (error) {
    deps.log.warn('roster lookup failed; treating the user as a guest', { error: describeError(error) });
    return { ...base, isGuest: true, isManager: false };
  }
}
