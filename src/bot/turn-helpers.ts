import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { defaultRetryPolicy, retryDelayMs } from '../delivery/retry-policy.js';
import { ValidationError } from '../errors.js';
import { type Delivery, type Lead, NOTHING_OWED } from '../leads/lead.js';
import { normaliseLeadId } from '../leads/lead-id.js';
import type { Actor } from '../leads/lifecycle.js';
import { describeError } from '../log.js';
import type { BotDeps } from './bot-deps.js';
import { type Translator, translator } from './i18n/translator.js';
import { type LeadView, leadActivity } from './lead-activity.js';
import { rosterForLead } from './roster.js';

export function viewFor(context: TurnContext | undefined, deps: BotDeps, notice?: string): LeadView {
  const t = translator(context?.activity.locale, deps.config.defaultLocale);
  return { t, timeZone: deps.config.timeZone, now: deps.now(), ...(notice ? { notice } : {}) };
}

const cardData = z.object({
  leadId: z.string().min(1).max(20),
  version: z.number().int().nonnegative(),
});

/** With CONTACT_VISIBILITY=owner, e-mail and phone are for the owner and managers (no viewer: hidden). */
export function hideContactFor(lead: Lead, viewer: Actor | undefined, deps: BotDeps): boolean {
  if (deps.config.contactVisibility !== 'owner') return false;
  if (!viewer) return true;
  return !(viewer.isManager || lead.owner?.aadObjectId === viewer.aadObjectId);
}

/** Card `data` is untrusted: it can be forged or come from a card rendered long ago. */
export function parseCardData(data: unknown): { leadId: string; version: number } {
  const parsed = cardData.safeParse(data);
  const leadId = parsed.success ? normaliseLeadId(parsed.data.leadId) : undefined;
  if (!parsed.success || !leadId) throw new ValidationError('The card data has no valid leadId and version.');
  return { leadId, version: parsed.data.version };
}

/** The card stays behind its lead: recorded, so the outbox updates it later (and after a restart). */
async function oweUpdate(lead: Lead, delivery: Delivery, error: unknown, deps: BotDeps): Promise<void> {
  deps.log.warn('card update failed; the outbox will try again', {
    lead: lead.id,
    error: describeError(error),
  });
  const delay = retryDelayMs(error, 1, defaultRetryPolicy);
  await deps.store
    .updateDelivery(lead.id, delivery.conversationId, {
      nextAttemptAt: new Date(deps.now().getTime() + delay).toISOString(),
      updateAttempts: 1,
      lastError: describeError(error).slice(0, 300),
    })
    .then(() => deps.deliveriesChanged())
    .catch((storeError) =>
      deps.log.error('card update not recorded as owed', { lead: lead.id, error: describeError(storeError) }),
    );
}

/** A newer update went through: nothing is owed any more. */
async function settleOwedUpdate(lead: Lead, delivery: Delivery, deps: BotDeps): Promise<void> {
  await deps.store
    .updateDelivery(lead.id, delivery.conversationId, NOTHING_OWED)
    .catch((error) =>
      deps.log.warn('owed card update not cleared', { lead: lead.id, error: describeError(error) }),
    );
}

/**
 * After a change, every posted copy of the card shows the new state for everyone. The clicked
 * card may also be a copy outside the channel (a personal chat): update that one in place.
 * A failed update is not thrown (the change itself is stored already): it is recorded as owed and
 * the outbox retries it, so no card keeps showing an old state (or data erased since).
 */
export async function updatePostedCards(
  lead: Lead,
  deps: BotDeps,
  context?: TurnContext,
  notice?: (t: Translator) => string,
): Promise<void> {
  const updated = new Set<string>();
  for (const delivery of lead.deliveries) {
    if (delivery.state !== 'posted' || !delivery.activityId) continue;
    const installation = await deps.store.getInstallation(delivery.teamId);
    if (!installation) continue;
    const view = viewFor(undefined, deps);
    const activity = leadActivity(lead, {
      ...view,
      roster: installation.members ?? [],
      hideContact: hideContactFor(lead, undefined, deps),
      ...(notice ? { notice: notice(view.t) } : {}),
    });
    try {
      await deps.poster.updateActivity(
        { ...installation, conversationId: delivery.threadId ?? delivery.conversationId },
        { ...activity, id: delivery.activityId },
      );
      updated.add(delivery.activityId);
      if (delivery.nextAttemptAt) await settleOwedUpdate(lead, delivery, deps);
    } catch (error) {
      await oweUpdate(lead, delivery, error, deps);
    }
  }
  const clicked = context?.activity.replyToId;
  if (context && clicked && !updated.has(clicked)) {
    try {
      const roster = await rosterForLead(lead, deps.store);
      await context.updateActivity({
        ...leadActivity(lead, {
          ...viewFor(context, deps),
          roster,
          hideContact: hideContactFor(lead, undefined, deps),
        }),
        id: clicked,
      });
      // The clicked card may be a channel copy whose update just failed above: it is current now.
      const owed = lead.deliveries.find((d) => d.activityId === clicked && d.state === 'posted');
      if (owed) await settleOwedUpdate(lead, owed, deps);
    } catch (error) {
      deps.log.warn('card update failed', { lead: lead.id, error: describeError(error) });
    }
  }
}
