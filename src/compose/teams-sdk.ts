// The parts of the Teams adapter that need botbuilder at run time (about 0.45 s of module loading,
// a third of the start's): the adapter and its auth, the poster, the roster reader, the bot.
// compose/teams.ts loads this file on first use (a message, a card post, a roster read), so a
// start, and a process that never talks to Teams, pays nothing for it.
import { createAdapter } from '../bot/adapter.js';
import type { BotDeps } from '../bot/bot-deps.js';
import { createBotEndpoint } from '../bot/endpoint.js';
import { createRosterReader } from '../bot/roster.js';
import { LeadBot } from '../bot/teams-bot.js';
import type { Config } from '../config/config.js';
import { createTeamsPoster } from '../delivery/teams-poster.js';
import type { Logger } from '../log.js';

export function buildTeamsSdk(config: Config, log: Logger, now: () => Date) {
  const { adapter, auth } = createAdapter(config.bot, { config, log, now });
  return {
    poster: createTeamsPoster(adapter, config.bot.appId),
    rosters: createRosterReader(adapter, config.bot.appId),
    /** POST /api/messages, with the bot every handler of which gets `deps`. */
    endpoint: (deps: BotDeps) =>
      createBotEndpoint({ adapter, auth, requireToken: !config.localMode, bot: new LeadBot(deps), log }),
  };
}

export type TeamsSdk = ReturnType<typeof buildTeamsSdk>;
