import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type MessagingExtensionResponse,
  TeamsActivityHandler,
  TurnContext,
  teamsGetTeamInfo,
} from 'botbuilder';
import type { BotDeps } from './bot-deps.js';
import { runCardAction } from './card-actions.js';
import { runCommand } from './commands.js';
import { importSharedFile, sharedFile } from './handlers/import-file.js';
import { installInTeam, uninstallFromTeam } from './handlers/install-team.js';
import { searchLeads } from './handlers/search-leads.js';
import { membersJoined, membersLeft } from './handlers/team-members.js';
import { unfurlLeadLink } from './handlers/unfurl-link.js';
import { recordIfUnknown } from './installation.js';
import { isSharedCard } from './shared-card.js';

/** Wiring only: each kind of activity goes to its handler. */
export class LeadBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();

    this.onMessage(async (context, next) => {
      const file = sharedFile(context);
      if (file) {
        await importSharedFile(context, file, deps);
      } else if (isSharedCard(context.activity)) {
        // A lead card shared from the message extension into the bot's own chat: nothing to answer.
      } else {
        const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
        await recordIfUnknown(context, deps);
        await runCommand(context, text, deps);
      }
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botAdded = context.activity.membersAdded?.some((m) => m.id === context.activity.recipient.id);
      if (botAdded) await installInTeam(context, deps);
      else await membersJoined(context, deps);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await installInTeam(context, deps);
      await next();
    });

    this.onMembersRemoved(async (context, next) => {
      const botRemoved = context.activity.membersRemoved?.some((m) => m.id === context.activity.recipient.id);
      const teamId = teamsGetTeamInfo(context.activity)?.id;
      if (botRemoved && teamId) await uninstallFromTeam(teamId, deps);
      else await membersLeft(context, deps);
      await next();
    });

    this.onInstallationUpdateRemove(async (context, next) => {
      const teamId = teamsGetTeamInfo(context.activity)?.id;
      if (teamId) await uninstallFromTeam(teamId, deps);
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return runCardAction(context, invokeValue, this.deps);
  }

  /** The message extension's search (compose box, command box). */
  protected override async handleTeamsMessagingExtensionQuery(
    context: TurnContext,
  ): Promise<MessagingExtensionResponse> {
    return searchLeads(context, this.deps);
  }

  /** A lead link pasted in a compose box. */
  protected override async handleTeamsAppBasedLinkQuery(
    context: TurnContext,
  ): Promise<MessagingExtensionResponse> {
    return unfurlLeadLink(context, this.deps);
  }

  /** Universal Actions want HTTP 200 whatever the sub-status; botbuilder would mirror it. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const response = await super.onInvokeActivity(context);
    if (context.activity.name === 'adaptiveCard/action') return { ...response, status: 200 };
    return response;
  }
}
