import { CardFactory, type TurnContext } from 'botbuilder';
import { parsePeriod } from '../../leads/period.js';
import { summarize } from '../../leads/reports.js';
import type { BotDeps } from '../bot-deps.js';
import { renderSummaryCard } from '../cards/summary-card.js';
import { viewFor } from '../turn-helpers.js';

/** `summary [today|week|month|Nd|from..to] [offer <name>] [campaign <name>]`, for managers. */
export async function showSummary(
  context: TurnContext,
  [periodText = '', offer = '', campaignText = '']: string[],
  deps: BotDeps,
): Promise<void> {
  const { t } = viewFor(context, deps);
  const now = deps.now();
  const period = parsePeriod(periodText, now, deps.config.timeZone);
  if (!period) {
    await context.sendActivity(t('summary.badPeriod'));
    return;
  }
  const filter = offer.trim().slice(0, 100) || undefined;
  const campaign = campaignText.trim().slice(0, 100) || undefined;
  const leads = await deps.store.listLeadsReceived(period.from, period.to);
  const summary = summarize(leads, period, filter, campaign);
  const card = renderSummaryCard(summary, {
    t,
    timeZone: deps.config.timeZone,
    now,
    ...(filter ? { offer: filter } : {}),
    ...(campaign ? { campaign } : {}),
  });
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
}
