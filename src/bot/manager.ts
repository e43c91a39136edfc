import type { Actor } from '../leads/lifecycle.js';
import type { BotDeps } from './bot-deps.js';

/** Managers' commands (routing, summaries, digests): a manager, or anyone but a guest while MANAGERS is empty. */
export function mayManage(actor: Actor, deps: Pick<BotDeps, 'config'>): boolean {
  return actor.isManager || (!actor.isGuest && deps.config.managers.length === 0);
}
