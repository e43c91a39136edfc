import type { OutboxDeps } from '../delivery/outbox.js';
import { ownerNotToldNotice } from '../i18n/messages.js';
import { translator } from '../i18n/translator.js';
import { hidesContact } from '../leads/access.js';
import type { Door } from '../leads/door.js';
import { ownerNotToldNow } from '../leads/lead.js';
import type { Period } from '../leads/period.js';
import { summarizeRollup } from '../leads/rollup-summary.js';
import { rosterForLead } from '../leads/rosters.js';
import type { DigestSubscription } from '../leads/store.js';
import { repeatReply } from './announce-repeat.js';
import type { ViewDeps } from './bot-deps.js';
import { cardAttachment } from './cards/adaptive-card.js';
import { renderSummaryCard } from './cards/summary-card.js';
import { leadActivity } from './lead-activity.js';
import { notifyFailedDelivery } from './notify-failure.js';
import { type CardNotice, viewFor } from './turn-helpers.js';

/**
 * How the outbox's messages look in Teams: the lead card (as the channel sees it), the reply for
 * a returning buyer, the backlog notice, and the managers' notice of a card Teams refused.
 * Delivery decides when they go; the bot decides what they say.
 */
export function outboxViews(
  deps: ViewDeps,
): Pick<OutboxDeps<CardNotice>, 'render' | 'renderRepeat' | 'onBacklog' | 'onFailed'> {
  return {
    async render(lead, given) {
      const view = viewFor(undefined, deps);
      // The channel's card says so while the new owner could not be told (the outbox tried).
      const notice = given ?? (ownerNotToldNow(lead) ? ownerNotToldNotice(lead) : undefined);
      return leadActivity(lead, {
        ...view,
        roster: await rosterForLead(lead, deps.store),
        hideContact: hidesContact(lead, undefined, deps.config.contactVisibility),
        ...(notice ? { notice: notice(view.t) } : {}),
      });
    },
    renderRepeat: (_lead, repeat) => repeatReply(repeat, deps),
    async onBacklog(teamId, channelId, count) {
      const installation = await deps.store.getInstallation(teamId);
      if (!installation) return;
      const text = viewFor(undefined, deps).t('backlog.notice', { count });
      await deps.poster.postToChannel({ ...installation, channelId }, { type: 'message', text });
    },
    onFailed: (lead, delivery, error) => notifyFailedDelivery(lead, delivery, error, deps),
  };
}

/** A digest: the summary card of its period, in the language it was set up in. */
export async function renderDigest(
  digest: DigestSubscription,
  period: Period,
  deps: ViewDeps & { door: Door },
) {
  const t = translator(digest.locale, deps.config.defaultLocale);
  const scoped = await deps.door.digestRollup(digest, period, deps.config.timeZone);
  if (!scoped) return { type: 'message', text: t('digest.setAgain') };
  const card = renderSummaryCard(summarizeRollup(scoped, period, deps.config.timeZone), {
    t,
    timeZone: deps.config.timeZone,
    now: deps.now(),
  });
  return { type: 'message', attachments: [cardAttachment(card)] };
}
