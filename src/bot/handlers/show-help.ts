import { CardFactory, type TurnContext } from 'botbuilder';
import type { BotDeps } from '../bot-deps.js';
import { type HelpRow, renderHelpCard } from '../cards/help-card.js';
import { viewFor } from '../turn-helpers.js';

/** `help`: the help card, listing `commands` (the command table, passed in so that it is the one source). */
export async function showHelp(
  context: TurnContext,
  commands: ReadonlyArray<{ help: readonly HelpRow[] }>,
  deps: BotDeps,
): Promise<void> {
  const { t } = viewFor(context, deps);
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(renderHelpCard(t, commands))] });
}
