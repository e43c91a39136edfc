import type { Request, Response } from 'restify';
import type { Config } from '../../config/config.js';
import type { Translator } from '../../i18n/translator.js';
import type { Door } from '../../leads/door.js';
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
  /** The application layer: scope, access and every change go through it. */
  door: Door;
}

/** A route of the tab's API, called once the token passed, with who calls and their language. */
export type TabHandler = (req: Request, res: Response, viewer: Viewer, t: Translator) => Promise<void>;

export function queryOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://tab.invalid').searchParams;
}
