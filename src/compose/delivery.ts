// Everything that goes out: the outbox (cards to Teams), the lead events (EVENTS_URL), and the one
// change port that tells both (and a new owner) what changed.
import type { ViewDeps } from '../bot/bot-deps.js';
import { eventNotices } from '../bot/events-notices.js';
import { outboxViews } from '../bot/teams-views.js';
import { tellNewOwner } from '../bot/tell-owner.js';
import type { Config } from '../config/config.js';
import { leadChanges } from '../delivery/lead-changes.js';
import { Outbox } from '../delivery/outbox.js';
import type { PacedPoster } from '../delivery/paced-poster.js';
import { EventOutbox } from '../events/event-outbox.js';
import { inBackground } from '../log.js';
import type { AppOptions } from './options.js';

export function composeDelivery(
  config: Config,
  options: AppOptions,
  views: ViewDeps & { poster: PacedPoster },
  /** Queued cards go out only while this instance holds the lease, checked after each pacing wait. */
  isLeader: () => boolean,
) {
  const { store, log, now } = views;
  const poster = views.poster.onlyWhile(isLeader);
  const outbox = new Outbox({
    store,
    poster,
    ...outboxViews(views),
    // After the click's answer, from the outbox: queue work, so only while this instance leads.
    tellOwner: (lead, notice) => tellNewOwner(lead, notice, { ...views, poster }),
    log,
    now,
    ...(options.backlogNoticeAt ? { backlogNoticeAt: options.backlogNoticeAt } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const events = new EventOutbox({
    store,
    settings: config.events,
    log,
    now,
    ...eventNotices(views),
    ...(options.eventRetry ? { retry: options.eventRetry } : {}),
    ...(options.eventConcurrency ? { concurrency: options.eventConcurrency } : {}),
  });
  // One port for every change: it wakes the outbox (cards, card updates, the new owner's notice,
  // all saved with the change) and the lead events; nobody waits for Teams.
  const changes = leadChanges({
    // Kicks start background work, logged under no request's id even when a request kicked it.
    kickCards: () => inBackground(() => outbox.kick()),
    kickEvents: () => inBackground(() => events.kick()),
  });
  return { outbox, events, changes };
}
