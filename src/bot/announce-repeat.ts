import type { Lead } from '../leads/lead.js';
import { actionLabelKey } from '../leads/marketplace-payload.js';
import { describeError } from '../log.js';
import type { BotDeps } from './bot-deps.js';
import { updatePostedCards, viewFor } from './turn-helpers.js';

/**
 * A buyer came back (e.g. Get it now after Contact me): a reply in the lead's thread says so and
 * the card shows it. The lead itself is already stored; a failed post here is logged.
 */
export async function announceRepeat(lead: Lead, deps: BotDeps): Promise<void> {
  const repeat = lead.repeats?.at(-1);
  if (!repeat) return;
  const { t } = viewFor(undefined, deps);
  const text = t('thread.seenAgain', { action: t(actionLabelKey(repeat.source.action)) });
  for (const delivery of lead.deliveries) {
    if (delivery.state !== 'posted' || !delivery.threadId) continue;
    const installation = await deps.store.getInstallation(delivery.teamId);
    if (!installation) continue;
    try {
      await deps.poster.postToConversation(installation, delivery.threadId, { type: 'message', text });
    } catch (error) {
      deps.log.warn('could not reply in the lead thread', { lead: lead.id, error: describeError(error) });
    }
  }
  await updatePostedCards(lead, deps);
}
