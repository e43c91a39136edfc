import type { Activity } from 'botbuilder';
import type { RepeatSighting } from '../leads/lead.js';
import { actionLabelKey } from '../leads/marketplace-payload.js';
import type { ViewDeps } from './bot-deps.js';
import { viewFor } from './turn-helpers.js';

/**
 * The reply in a lead's thread when its buyer came back (e.g. Get it now after Contact me). The
 * outbox posts it, paced and retried, and then brings the card up to date: it shows the sighting.
 */
export function repeatReply(repeat: RepeatSighting, deps: ViewDeps): Partial<Activity> {
  const { t } = viewFor(undefined, deps);
  return {
    type: 'message',
    text: t('thread.seenAgain', { action: t(actionLabelKey(repeat.source.action)) }),
  };
}
