import { TeamsInfo, type TurnContext } from 'botbuilder';
import { type Actor, isListedManager } from '../leads/access.js';
import { describeError } from '../log.js';
import type { BotDeps } from './bot-deps.js';

const ACTOR = Symbol('actor');

/**
 * Who clicked or typed, looked up in the roster: the activity alone does not say whether the user
 * is a guest. If the roster cannot be read the actor is treated as a guest (fail closed). Looked
 * up once per turn: the command table and the handler it runs both ask.
 */
export function resolveActor(context: TurnContext, deps: Pick<BotDeps, 'config' | 'log'>): Promise<Actor> {
  const known: Promise<Actor> | undefined = context.turnState.get(ACTOR);
  if (known) return known;
  const actor = lookUpActor(context, deps);
  context.turnState.set(ACTOR, actor);
  return actor;
}

async function lookUpActor(context: TurnContext, deps: Pick<BotDeps, 'config' | 'log'>): Promise<Actor> {
  const from = context.activity.from;
  const base = { aadObjectId: from.aadObjectId ?? from.id, name: from.name ?? '' };
  try {
    const member = await TeamsInfo.getMember(context, from.id);
    const isGuest = member.userRole === 'guest';
    const isManager =
      !isGuest && isListedManager([member, { aadObjectId: base.aadObjectId }], deps.config.managers);
    return { ...base, name: member.name || base.name, isGuest, isManager };
  } catch (error) {
    deps.log.warn('roster lookup failed; treating the user as a guest', { error: describeError(error) });
    return { ...base, isGuest: true, isManager: false };
  }
}
