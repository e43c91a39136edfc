import type { Config } from '../config.js';
import type { CardPoster } from '../delivery/teams-poster.js';
import type { LeadStore } from '../leads/store.js';
import type { Logger } from '../log.js';

/** What every handler may use. Built once in the composition root. */
export interface BotDeps {
  store: LeadStore;
  poster: CardPoster;
  config: Pick<Config, 'managers' | 'defaultLocale' | 'timeZone' | 'contactVisibility' | 'retentionDays'>;
  log: Logger;
  now: () => Date;
  /** Tells the outbox that deliveries may be waiting (after an install or a routing change). */
  deliveriesChanged: () => void;
}
