import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { ValidationError } from '../errors.js';
import type { SeenLead } from '../leads/door.js';
import { describeError } from '../log.js';
import { viewerOf } from './actor.js';
import type { BotDeps } from './bot-deps.js';
import { errorMessage } from './error-message.js';
import { type CardClick, leadActionHandler } from './handlers/lead-action.js';
import { handleRefresh } from './handlers/refresh-lead.js';
import { handleSnooze } from './handlers/snooze-lead.js';
import { messageResponse } from './invoke-response.js';
import { parseCardData, viewFor } from './turn-helpers.js';

type CardActionHandler = (
  context: TurnContext,
  seen: SeenLead,
  click: CardClick,
  deps: BotDeps,
) => Promise<AdaptiveCardInvokeResponse>;

/** Action.Execute verbs (DESIGN.md). Later verbs are added here, one handler file each. */
const cardActions: Record<string, CardActionHandler> = {
  'lead.claim': leadActionHandler('claim'),
  'lead.assign': leadActionHandler('assign'),
  'lead.qualify': leadActionHandler('qualify'),
  'lead.disqualify': leadActionHandler('disqualify'),
  'lead.opportunity': leadActionHandler('opportunity'),
  'lead.won': leadActionHandler('won'),
  'lead.lost': leadActionHandler('lost'),
  'lead.note': leadActionHandler('note'),
  'lead.reopen': leadActionHandler('reopen'),
  'lead.crm': leadActionHandler('crm'),
  'lead.campaign': leadActionHandler('campaign'),
  'lead.refresh': handleRefresh,
  'lead.snooze': handleSnooze,
};

/** Every outcome is an invoke answer the user can read; an exception would show "Unable to reach app". */
export async function runCardAction(
  context: TurnContext,
  invoke: AdaptiveCardInvokeValue,
  deps: BotDeps,
): Promise<AdaptiveCardInvokeResponse> {
  const { t } = viewFor(context, deps);
  const handler = cardActions[invoke.action.verb];
  if (!handler) return messageResponse(t('error.unknownAction'));
  try {
    const { leadId, version } = parseCardData(invoke.action.data);
    // A lead from another team or tenant answers exactly like a missing one: nothing to learn from it.
    const seen = await deps.door.lead(await viewerOf(context, deps), leadId);
    if (!seen) return messageResponse(t('error.leadNotFound', { id: leadId }));
    return await handler(context, seen, { version, data: invoke.action.data ?? {} }, deps);
  } catch (error) {
    if (!(error instanceof ValidationError))
      deps.log.error('card action failed', { verb: invoke.action.verb, error: describeError(error) });
    return messageResponse(errorMessage(error, t));
  }
}
