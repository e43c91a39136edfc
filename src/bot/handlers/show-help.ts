import { CardFactory, type TurnContext } from 'botbuilder';
import type { BotDeps } from '../bot-deps.js';
import { renderHelpCard } from '../cards/help-card.js';
import { viewFor } from '../turn-helpers.js';

export async function showHelp(context: TurnContext, _args: string[], deps: BotDeps): Promise<void> {
  const { t } = viewFor(context, deps);
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(renderHelpCard(t))] });
}
