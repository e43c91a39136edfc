import type { Config } from '../config/config.js';
import type { CardPoster } from '../delivery/teams-poster.js';
import type { LeadChanges } from '../leads/changes.js';
import type { Door } from '../leads/door.js';
import type { LeadStore, Routing } from '../leads/store.js';
import type { Logger } from '../log.js';
import type { DownloadPolicy } from './handlers/download-file.js';

/** What the bot needs to say things in Teams outside a turn (reminders, digests, the outbox's cards). */
export interface ViewDeps {
  store: LeadStore;
  poster: CardPoster;
  config: Pick<
    Config,
    'managers' | 'defaultLocale' | 'timeZone' | 'contactVisibility' | 'retentionDays' | 'bot' | 'botDomain'
  >;
  log: Logger;
  now: () => Date;
}

/** What every handler may use. Built once in the composition root. */
export interface BotDeps extends ViewDeps {
  /** The application layer: every read and every action goes through it, with who is asking. */
  door: Door;
  /** How a change reaches the cards, the new owner and the lead events (the door uses it too). */
  changes: LeadChanges;
  /** Where a shared file may be downloaded from (default: production's rules, no loopback). */
  downloads?: DownloadPolicy;
  /** Delivery's part in installing: what the bot tells the outbox when teams and channels change. */
  delivery: {
    /** The bot is back in a team: its refused cards go out. */
    teamIsBack(teamId: string): Promise<void>;
    /** A lead channel was set: leads waiting for one are routed to it. */
    queueUndelivered(routing: Routing): Promise<number>;
  };
}
