// The Teams adapter's parts (botbuilder lives in bot/ and here): the adapter and its auth, the paced
// poster, the views the outbox renders with, the roster reader the door asks, and the bot endpoint.
import { createAdapter } from '../bot/adapter.js';
import type { BotDeps, ViewDeps } from '../bot/bot-deps.js';
import { createBotEndpoint } from '../bot/endpoint.js';
import { type DownloadPolicy, STRICT_DOWNLOADS } from '../bot/handlers/download-file.js';
import { createRosterReader } from '../bot/roster.js';
import { LeadBot } from '../bot/teams-bot.js';
import type { Config } from '../config/config.js';
import { pacePoster, realClock } from '../delivery/paced-poster.js';
import { createTeamsPoster } from '../delivery/teams-poster.js';
import type { LeadStore } from '../leads/store.js';
import type { Logger } from '../log.js';
import type { AppOptions } from './options.js';

export function composeTeams(config: Config, store: LeadStore, log: Logger, now: () => Date) {
  const { adapter, auth } = createAdapter(config.bot, { config, log, now });
  // Sends are kept in the store: Teams' windows outlive a restart and hold across instances.
  const poster = pacePoster(createTeamsPoster(adapter, config.bot.appId), realClock, store);
  const views: ViewDeps & { poster: typeof poster } = { store, poster, config, log, now };
  return {
    poster,
    views,
    rosters: createRosterReader(adapter, config.bot.appId),
    /** POST /api/messages, with the bot every handler of which gets `deps`. */
    endpoint: (deps: BotDeps) =>
      createBotEndpoint({ adapter, auth, requireToken: !config.localMode, bot: new LeadBot(deps), log }),
  };
}

/** Where a file shared with the bot may be downloaded from: production's rules, loopback in local mode. */
export function downloadPolicy(config: Config, options: AppOptions): DownloadPolicy {
  return { ...STRICT_DOWNLOADS, allowLoopback: config.localMode, ...options.downloads };
}
