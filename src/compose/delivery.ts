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
import { type CardNotice, ownerNotToldNotice } from '../i18n/messages.js';
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
  const outbox = new Outbox({
    store,
    poster: views.poster.onlyWhile(isLeader),
    ...outboxViews(views),
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
  // One port for every change: the new owner's notice, the posted cards, the lead events.
  const changes = leadChanges<CardNotice>({
    refreshCards: (lead, notice) => outbox.refreshCards(lead, notice),
    // Kicks start background work, logged under no request's id even when a request kicked it.
    kickCards: () => inBackground(() => outbox.kick()), // new cards, or repeats to announce
    kickEvents: () => inBackground(() => events.kick()),
    tellNewOwner: (lead, by) => tellNewOwner(lead, by, views),
    ownerNotTold: ownerNotToldNotice,
    warn: views.log.warn,
  });
  return { outbox, events, changes };
}
