// Lead events settings (EVENTS_URL, EVENTS_SECRET, EVENTS_CONTACT): read by readConfig, nowhere else.

import { publicUrl } from '../events/endpoint.js';
import { ConfigError } from './error.js';
import { splitList } from './values.js';

export interface EventsConfig {
  /** https URLs (http only to this machine, in local mode) every change to a lead is POSTed to. */
  endpoints: string[];
  /** Standard Webhooks secrets (`whsec_…`): every event is signed with each (two while rotating). */
  secrets: string[];
  /** Whether e-mail and phone go out in events. */
  contact: 'include' | 'omit';
  /** CloudEvents `source`: `/lead-assistant/<BOT_DOMAIN or host name>`. */
  source: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `botDomain`: BOT_DOMAIN as readConfig checked it (a host name, or empty). */
export function readEvents(
  value: (name: string) => string,
  localMode: boolean,
  botDomain: string,
): EventsConfig {
  const endpoints = splitList(value('EVENTS_URL')).map((raw, i) => readEventsUrl(raw, i, localMode));
  if (new Set(endpoints).size < endpoints.length)
    throw new ConfigError('EVENTS_URL', 'lists the same URL twice; list each receiver once.');
  const secrets = splitList(value('EVENTS_SECRET'));
  if (endpoints.length > 0 && secrets.length === 0) {
    throw new ConfigError(
      'EVENTS_SECRET',
      'is required with EVENTS_URL: the secret events are signed with, "whsec_" and base64 of 24 to 64 random bytes ' +
        `(e.g. node -e "console.log('whsec_'+crypto.randomBytes(32).toString('base64'))").`,
    );
  }
  if (secrets.length > 2)
    throw new ConfigError('EVENTS_SECRET', 'takes one secret, or two separated by a comma while rotating.');
  for (const secret of secrets) {
    const body = secret.startsWith('whsec_') ? secret.slice(6) : '';
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? Buffer.from(body, 'base64').length : 0;
    if (bytes < 24 || bytes > 64) {
      throw new ConfigError(
        'EVENTS_SECRET',
        'each secret must be "whsec_" followed by base64 of 24 to 64 random bytes (Standard Webhooks).',
      );
    }
  }
  const contact = value('EVENTS_CONTACT').toLowerCase() || 'omit';
  if (contact !== 'include' && contact !== 'omit')
    throw new ConfigError('EVENTS_CONTACT', `must be include or omit, got "${value('EVENTS_CONTACT')}".`);
  const domain = botDomain || value('HOSTNAME').replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
  return { endpoints, secrets, contact, source: `/lead-assistant/${domain}` };
}

function readEventsUrl(raw: string, index: number, localMode: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      'EVENTS_URL',
      // Its text is not shown: a receiver's key may be in it (see publicUrl).
      `entry ${index + 1} (${publicUrl(raw)}) is not a URL; list https URLs separated by commas.`,
    );
  }
  const local = localMode && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !local) {
    throw new ConfigError(
      'EVENTS_URL',
      `must be https URLs (events carry customer data); ${url.protocol}//${url.host} is not. ` +
        'http is allowed only to 127.0.0.1 or localhost, in local mode.',
    );
  }
  if (url.username || url.password)
    throw new ConfigError(
      'EVENTS_URL',
      'must not carry a user name or password; put a key in the query instead.',
    );
  return url.toString();
}
