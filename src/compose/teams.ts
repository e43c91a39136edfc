// The Teams adapter's parts (botbuilder lives in bot/ and here): the paced poster, the views the
// outbox renders with, the roster reader the door asks, and the bot endpoint. botbuilder itself is
// loaded when first used (compose/teams-sdk.ts): these are thin stand-ins that load it, then hand on.
import type { RequestHandler } from 'restify';
import type { BotDeps, ViewDeps } from '../bot/bot-deps.js';
import { type DownloadPolicy, STRICT_DOWNLOADS } from '../bot/handlers/download-file.js';
import type { Config } from '../config/config.js';
import { type PacedPoster, pacePoster, realClock } from '../delivery/paced-poster.js';
import type { CardPoster } from '../delivery/teams-poster.js';
import type { RosterReader } from '../leads/rosters.js';
import type { LeadStore } from '../leads/store.js';
import type { Logger } from '../log.js';
import type { AppOptions } from './options.js';
import type { TeamsSdk } from './teams-sdk.js';

export function composeTeams(config: Config, store: LeadStore, log: Logger, now: () => Date) {
  let loading: Promise<TeamsSdk> | undefined;
  const sdk = (): Promise<TeamsSdk> =>
    (loading ??= loadTeamsSdk().then(
      (m) => m.buildTeamsSdk(config, log, now),
      (error) => {
        loading = undefined; // not kept: the next use tries again
        throw error;
      },
    ));
  // Sends are kept in the store: Teams' windows outlive a restart and hold across instances.
  // botbuilder is loaded before the pacer books a send, never between the two: Teams counts a
  // send when it arrives, so a load there would bunch the sends after it (a 429).
  const load = async () => (await sdk()).poster;
  const poster = loadedFirst(pacePoster(lazyPoster(load), realClock, store), load);
  const views: ViewDeps & { poster: typeof poster } = { store, poster, config, log, now };
  const rosters: RosterReader = { readRoster: async (team) => (await sdk()).rosters.readRoster(team) };
  return {
    poster,
    views,
    rosters,
    /** Begins loading botbuilder now (after the server listens), so the first click does not wait for it. */
    preload: () => sdk().then(() => undefined),
    /** POST /api/messages, with the bot every handler of which gets `deps`. */
    endpoint(deps: BotDeps): RequestHandler {
      let handler: Promise<RequestHandler> | undefined;
      return async (req, res) => {
        handler ??= sdk().then((s) => s.endpoint(deps) as RequestHandler);
        handler.catch(() => {
          handler = undefined;
        });
        return (await handler)(req, res, () => undefined);
      };
    },
  };
}

/**
 * The module, once. Natively (ESM) through import(), which shares every module the app has
 * loaded. Under a runner that compiled this file to CommonJS (mocha with tsx), import() would
 * load a second copy of the app's modules (errors would lose their class): `require` is this
 * module's own there, and loads the copy the rest of the app shares.
 */
async function loadTeamsSdk(): Promise<typeof import('./teams-sdk.js')> {
  if (typeof require === 'function') return require('./teams-sdk.js') as typeof import('./teams-sdk.js');
  return import('./teams-sdk.js');
}

/** A poster that waits for `ready` (botbuilder loaded) before each post, then hands it on. */
function lazyPoster(ready: () => Promise<CardPoster>): CardPoster {
  return {
    postToChannel: async (target, activity) => (await ready()).postToChannel(target, activity),
    updateActivity: async (target, activity) => (await ready()).updateActivity(target, activity),
    postToConversation: async (target, conversationId, activity) =>
      (await ready()).postToConversation(target, conversationId, activity),
    postToUser: async (target, userId, activity) => (await ready()).postToUser(target, userId, activity),
  };
}

/** The paced poster, and what it hands out, with botbuilder loaded before pacing begins. */
function loadedFirst(paced: PacedPoster, ready: () => Promise<unknown>): PacedPoster {
  const first = (poster: CardPoster) =>
    lazyPoster(async () => {
      await ready();
      return poster;
    });
  return { ...first(paced), reseed: () => paced.reseed(), onlyWhile: (may) => first(paced.onlyWhile(may)) };
}

/** Where a file shared with the bot may be downloaded from: production's rules, loopback in local mode. */
export function downloadPolicy(config: Config, options: AppOptions): DownloadPolicy {
  return { ...STRICT_DOWNLOADS, allowLoopback: config.localMode, ...options.downloads };
}
