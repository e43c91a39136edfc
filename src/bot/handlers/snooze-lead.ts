import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { refusalMessage } from '../../i18n/messages.js';
import type { SeenLead } from '../../leads/door.js';
import type { BotDeps } from '../bot-deps.js';
import { messageResponse } from '../invoke-response.js';
import { viewFor } from '../turn-helpers.js';
import type { CardClick } from './lead-action.js';

/** lead.snooze (on an owner's nudge): no nudge for a day. Only the owner or a manager. */
export async function handleSnooze(
  context: TurnContext,
  seen: SeenLead,
  _click: CardClick,
  deps: BotDeps,
): Promise<AdaptiveCardInvokeResponse> {
  const { t } = viewFor(context, deps);
  const result = await deps.door.snooze(seen.viewer, seen.lead.id);
  if (!result) return messageResponse(t('error.leadNotFound', { id: seen.lead.id }));
  if ('refusal' in result) return messageResponse(refusalMessage(result.refusal, result.lead, t));
  return messageResponse(
    t('reminder.snoozed', { time: t.formatDateTime(result.until, deps.config.timeZone) }),
  );
}
