import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { ownerOrManagerRefusal } from '../../leads/access.js';
import type { Lead } from '../../leads/lead.js';
import { resolveActor } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { messageResponse } from '../invoke-response.js';
import { refusalMessage } from '../messages.js';
import { viewFor } from '../turn-helpers.js';
import type { CardClick } from './lead-action.js';

const SNOOZE_MS = 24 * 60 * 60 * 1000;

/** lead.snooze (on an owner's nudge): no nudge for a day. Only the owner or a manager. */
export async function handleSnooze(
  context: TurnContext,
  lead: Lead,
  _click: CardClick,
  deps: BotDeps,
): Promise<AdaptiveCardInvokeResponse> {
  const { t } = viewFor(context, deps);
  const actor = await resolveActor(context, deps);
  const refusal = ownerOrManagerRefusal(lead, actor);
  if (refusal) return messageResponse(refusalMessage(refusal, lead, t));
  const until = new Date(deps.now().getTime() + SNOOZE_MS).toISOString();
  await deps.store.updateReminders(lead.id, { snoozedUntil: until, nudgedAt: undefined });
  return messageResponse(t('reminder.snoozed', { time: t.formatDateTime(until, deps.config.timeZone) }));
}
