import type { Request, Response } from 'restify';
import type { Translator } from '../../bot/i18n/translator.js';
import type { Config } from '../../config.js';
import type { Lead } from '../../leads/lead.js';
import type { Verb } from '../../leads/lifecycle.js';
import type { LeadStore } from '../../leads/store.js';
import type { Logger } from '../../log.js';
import type { VerifyToken } from '../sso.js';
import type { Viewer } from './viewer.js';

export interface TabApiDeps {
  store: LeadStore;
  config: Pick<Config, 'managers' | 'defaultLocale' | 'timeZone' | 'contactVisibility'>;
  verify: VerifyToken;
  log: Logger;
  now: () => Date;
  /** A change was saved: the posted cards show it (the outbox), as after a card click. */
  publish(lead: Lead, verb: Verb, actorName: string): Promise<void>;
}

/** A route of the tab's API, called once the token passed, with who calls and their language. */
export type TabHandler = (req: Request, res: Response, viewer: Viewer, t: Translator) => Promise<void>;

export function queryOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://tab.invalid').searchParams;
}
