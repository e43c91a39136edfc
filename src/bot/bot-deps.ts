import type { Config } from '../config.js';
import type { CardPoster } from '../delivery/teams-poster.js';
import type { Lead } from '../leads/lead.js';
import type { LeadStore, Routing } from '../leads/store.js';
import type { Logger } from '../log.js';
import type { DownloadPolicy } from './handlers/download-file.js';
import type { CardNotice } from './turn-helpers.js';

/** What the bot needs to say things in Teams outside a turn (reminders, digests, the outbox's cards). */
export type ViewDeps = Omit<BotDeps, 'delivery'>;

/** What every handler may use. Built once in the composition root. */
export interface BotDeps {
  store: LeadStore;
  poster: CardPoster;
  config: Pick<
    Config,
    'managers' | 'defaultLocale' | 'timeZone' | 'contactVisibility' | 'retentionDays' | 'bot'
  >;
  log: Logger;
  now: () => Date;
  /** Where a shared file may be downloaded from (default: production's rules, no loopback). */
  downloads?: DownloadPolicy;
  /** What the bot tells delivery (the outbox); delivery decides what goes to Teams, and when. */
  delivery: {
    /** A lead changed: every posted copy of its card is brought up to date. */
    refreshCards(lead: Lead, notice?: CardNotice): Promise<void>;
    /** The bot is back in a team: its refused cards go out. */
    teamIsBack(teamId: string): Promise<void>;
    /** A lead channel was set: leads waiting for one are routed to it. */
    queueUndelivered(routing: Routing): Promise<number>;
    /** New leads were stored outside the webhook (an import): their cards and events are due. */
    kick(): void;
  };
}
