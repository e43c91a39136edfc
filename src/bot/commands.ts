import type { TurnContext } from 'botbuilder';
import type { BotDeps } from './bot-deps.js';
import { forgetPerson } from './handlers/forget-person.js';
import { findLeadsCommand, listMyLeads, listUnclaimedLeads } from './handlers/list-leads.js';
import { setDigest } from './handlers/set-digest.js';
import { showHelp } from './handlers/show-help.js';
import { showLead } from './handlers/show-lead.js';
import { showSummary } from './handlers/show-summary.js';
import { useChannelForLeads } from './handlers/use-channel.js';
import { viewFor } from './turn-helpers.js';

export type CommandHandler = (context: TurnContext, args: string[], deps: BotDeps) => Promise<void>;

interface Command {
  pattern: RegExp;
  run: CommandHandler;
}

/** Text commands, matched on the whole message (mention removed, spaces collapsed, any case). */
const commands: Command[] = [
  { pattern: /^(?:help|\?|hi|hello|ajuda|olá|ola)$/i, run: showHelp },
  { pattern: /^(?:lead|show lead)(?:\s+(\S+))?$/i, run: showLead },
  { pattern: /^use this channel for\s*(.*?)\s*leads$/i, run: useChannelForLeads },
  { pattern: /^my leads$/i, run: listMyLeads },
  { pattern: /^digest(?:\s+(\S+))?(?:\s+(\S+))?$/i, run: setDigest },
  { pattern: /^summary(?:\s+(?!offer\b)(\S+))?(?:\s+offer\s+(.+))?$/i, run: showSummary },
  { pattern: /^(?:unassigned|unclaimed)(?: leads)?$/i, run: listUnclaimedLeads },
  { pattern: /^find(?:\s+(.*))?$/i, run: findLeadsCommand },
  { pattern: /^forget(?:\s+(\S+))?$/i, run: forgetPerson },
];

export async function runCommand(context: TurnContext, text: string, deps: BotDeps): Promise<void> {
  const normalised = text.replace(/\s+/g, ' ').trim();
  for (const command of commands) {
    const match = command.pattern.exec(normalised);
    if (match) {
      await command.run(context, match.slice(1), deps);
      return;
    }
  }
  await context.sendActivity(viewFor(context, deps).t('command.unknown'));
}
