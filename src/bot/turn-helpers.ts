import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { hidesContact } from '../leads/access.js';
import type { Lead } from '../leads/lead.js';
import { normaliseLeadId } from '../leads/lead-id.js';
import type { Actor } from '../leads/lifecycle.js';
import { describeError } from '../log.js';
import type { BotDeps, ViewDeps } from './bot-deps.js';
import { type Translator, translator } from './i18n/translator.js';
import { type LeadView, leadActivity } from './lead-activity.js';
import { rosterForLead } from './roster.js';

export function viewFor(
  context: TurnContext | undefined,
  deps: Pick<ViewDeps, 'config' | 'now'>,
  notice?: string,
): LeadView {
  const t = translator(context?.activity.locale, deps.config.defaultLocale);
  // No app id in local mode: no Teams app to link to.
  const appId = deps.config.bot?.appId;
  return {
    t,
    timeZone: deps.config.timeZone,
    now: deps.now(),
    ...(notice ? { notice } : {}),
    ...(appId ? { appId } : {}),
  };
}

const cardData = z.object({
  leadId: z.string().min(1).max(20),
  version: z.number().int().nonnegative(),
});

/** CONTACT_VISIBILITY, by the access rule (leads/access.ts). */
export function hideContactFor(lead: Lead, viewer: Actor | undefined, deps: ViewDeps): boolean {
  return hidesContact(lead, viewer, deps.config.contactVisibility);
}

/** Card `data` is untrusted: it can be forged or come from a card rendered long ago. */
export function parseCardData(data: unknown): { leadId: string; version: number } {
  const parsed = cardData.safeParse(data);
  const leadId = parsed.success ? normaliseLeadId(parsed.data.leadId) : undefined;
  if (!parsed.success || !leadId) throw new ValidationError('The card data has no valid leadId and version.');
  return { leadId, version: parsed.data.version };
}

/** A line a card carries for everyone, in each reader's language (e.g. "could not message …"). */
export type CardNotice = (t: Translator) => string;

/**
 * After a change, every posted copy of the card shows it, for everyone: the outbox updates them
 * (and owes, retries and records any update Teams refuses; delivery decides that, not the bot).
 * The clicked card may also be a copy outside the channel (a personal chat): that one, the
 * turn's own message, is updated here in place.
 */
export async function showChange(
  lead: Lead,
  deps: BotDeps,
  context?: TurnContext,
  notice?: CardNotice,
): Promise<void> {
  await deps.delivery.refreshCards(lead, notice);
  const clicked = context?.activity.replyToId;
  if (!context || !clicked || lead.deliveries.some((d) => d.activityId === clicked)) return;
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
  } catch (error) {
    deps.log.warn('card update failed', { lead: lead.id, error: describeError(error) });
  }
}
