import { CardFactory, type TurnContext } from 'botbuilder';
import { parsePeriod } from '../../leads/period.js';
import { summarizeRollup } from '../../leads/rollup-summary.js';
import { viewerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { renderSummaryCard } from '../cards/summary-card.js';
import { viewFor } from '../turn-helpers.js';

/**
 * `summary [today|week|month|Nd|from..to] [offer <name>] [campaign <name>]`, for managers: in a
 * team's channel that team's leads, elsewhere those of every team the asker may see.
 */
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
  const scoped = await deps.door.summaryRollup(await viewerOf(context, deps), period, deps.config.timeZone);
  if ('refused' in scoped) {
    await context.sendActivity(t('refusal.managersOnly'));
    return;
  }
  const summary = summarizeRollup(scoped.scoped, period, deps.config.timeZone, filter, campaign);
  const card = renderSummaryCard(summary, {
    t,
    timeZone: deps.config.timeZone,
    now,
    ...(filter ? { offer: filter } : {}),
    ...(campaign ? { campaign } : {}),
  });
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
}
