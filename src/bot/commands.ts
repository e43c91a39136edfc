import { type TurnContext, teamsGetTeamInfo } from 'botbuilder';
import type { SupportedLocale } from '../i18n/translator.js';
import type { CommandAccess } from '../leads/access.js';
import { viewerOf } from './actor.js';
import type { BotDeps } from './bot-deps.js';
import type { HelpRow } from './cards/help-card.js';
import { autoAssignCommand } from './handlers/auto-assign.js';
import { awayCommand } from './handlers/away.js';
import { forgetPerson } from './handlers/forget-person.js';
import { findLeadsCommand, listMyLeads, listUnclaimedLeads } from './handlers/list-leads.js';
import { setDigest } from './handlers/set-digest.js';
import { showHelp } from './handlers/show-help.js';
import { showLead } from './handlers/show-lead.js';
import { showSummary } from './handlers/show-summary.js';
import { useChannelForLeads } from './handlers/use-channel.js';
import { currentChannelId } from './installation.js';
import { viewFor } from './turn-helpers.js';

export type CommandHandler = (context: TurnContext, args: string[], deps: BotDeps) => Promise<void>;

/** Where a command works: anywhere the bot is (personal chat, group chat, channel), or in a team channel. */
export type CommandPlace = 'anywhere' | 'team channel';

export interface Command {
  /** What the user types first; its title in Teams' command menu. */
  name: string;
  /** Matched on the whole message; the groups are the handler's arguments. */
  pattern: RegExp;
  /** The help card's rows: what to type and what it does. The first row describes it in the menu too. */
  help: readonly HelpRow[];
  access: CommandAccess;
  place: CommandPlace;
  /** Offered in Teams' command menu (the manifest's commandLists, at most 10 a scope). */
  inMenu: boolean;
  /** The menu title in a language whose speakers type another word (the pattern accepts it). */
  localTitles?: Partial<Record<SupportedLocale, string>>;
  run: CommandHandler;
}

/**
 * Text commands, matched on the whole message (mention removed, spaces collapsed, any case), in
 * the order the help card lists them. The help card and the manifest's menus are built from this.
 */
export const COMMANDS: readonly Command[] = [
  {
    name: 'help',
    pattern: /^(?:help|\?|hi|hello|ajuda|olá|ola)$/i,
    help: [{ usage: 'help', text: 'help.cmdHelp' }],
    access: 'anyone',
    place: 'anywhere',
    inMenu: true,
    localTitles: { 'pt-PT': 'ajuda' },
    run: (context, _args, deps) => showHelp(context, COMMANDS, deps),
  },
  {
    name: 'lead',
    pattern: /^(?:lead|show lead|contacto)(?:\s+(\S+))?$/i,
    help: [{ usage: 'lead <id>', text: 'help.cmdLead' }],
    access: 'anyone',
    place: 'anywhere',
    inMenu: true,
    localTitles: { 'pt-PT': 'contacto' },
    run: showLead,
  },
  {
    name: 'my leads',
    pattern: /^(?:my leads|(?:os )?meus contactos)$/i,
    help: [{ usage: 'my leads', text: 'help.cmdMyLeads' }],
    access: 'anyone',
    place: 'anywhere',
    inMenu: true,
    localTitles: { 'pt-PT': 'os meus contactos' },
    run: listMyLeads,
  },
  {
    name: 'unassigned',
    pattern: /^(?:(?:unassigned|unclaimed)(?: leads)?|por (?:atribuir|assumir))$/i,
    help: [{ usage: 'unassigned', text: 'help.cmdUnassigned' }],
    access: 'anyone',
    place: 'anywhere',
    inMenu: true,
    localTitles: { 'pt-PT': 'por atribuir' },
    run: listUnclaimedLeads,
  },
  {
    name: 'find',
    pattern: /^(?:find|procurar)(?:\s+(.*))?$/i,
    help: [{ usage: 'find <text>', text: 'help.cmdFind' }],
    access: 'anyone',
    place: 'anywhere',
    inMenu: true,
    localTitles: { 'pt-PT': 'procurar' },
    run: findLeadsCommand,
  },
  {
    name: 'summary',
    pattern:
      /^(?:summary|resumo)(?:\s+(?!offer\b|campaign\b)(\S+))?(?:\s+offer\s+(.+?))?(?:\s+campaign\s+(.+))?$/i,
    help: [
      { usage: 'summary [today|week|month|14d]', text: 'help.cmdSummary' },
      { usage: 'summary month campaign <name>', text: 'help.cmdSummaryCampaign' },
    ],
    access: 'managers',
    place: 'anywhere',
    inMenu: true,
    localTitles: { 'pt-PT': 'resumo' },
    run: showSummary,
  },
  {
    name: 'digest',
    pattern: /^(?:digest|boletim)(?:\s+(\S+))?(?:\s+(\S+))?$/i,
    help: [{ usage: 'digest daily 08:30', text: 'help.cmdDigest' }],
    access: 'managers',
    place: 'anywhere',
    inMenu: true,
    localTitles: { 'pt-PT': 'boletim' },
    run: setDigest,
  },
  {
    name: 'forget',
    pattern: /^forget(?:\s+(\S+))?$/i,
    help: [{ usage: 'forget <e-mail>', text: 'help.cmdForget' }],
    access: 'listed managers',
    place: 'anywhere',
    inMenu: false, // rare, and it erases data: in the help, not one tap away
    run: forgetPerson,
  },
  {
    name: 'use this channel for leads',
    pattern: /^(?:use this channel for\s*(.*?)\s*leads|usar este canal para contactos)$/i,
    help: [
      { usage: 'use this channel for leads', text: 'help.cmdUseChannel' },
      { usage: 'use this channel for appsource leads', text: 'help.cmdUseChannelFor' },
    ],
    access: 'managers',
    place: 'team channel',
    inMenu: true,
    localTitles: { 'pt-PT': 'usar este canal para contactos' },
    run: useChannelForLeads,
  },
  {
    name: 'auto-assign',
    pattern: /^(?:auto-?assign|atribuir automaticamente)(?:\s+(.*))?$/i,
    help: [
      { usage: 'auto-assign [on|off]', text: 'help.cmdAutoAssign' },
      { usage: 'auto-assign only <e-mails> | everyone | capacity <n>|off', text: 'help.cmdAutoAssignPeople' },
      {
        usage: 'auto-assign rule <country|offer|storefront|priority> <values> to <e-mails> | rules clear',
        text: 'help.cmdAutoAssignRule',
      },
    ],
    access: 'managers',
    place: 'team channel',
    inMenu: true,
    localTitles: { 'pt-PT': 'atribuir automaticamente' },
    run: autoAssignCommand,
  },
  {
    name: 'away',
    pattern: /^(?:away|ausente)(?:\s+(.*))?$/i,
    help: [{ usage: 'away until <YYYY-MM-DD> | away off', text: 'help.cmdAway' }],
    access: 'anyone',
    place: 'anywhere',
    inMenu: true,
    localTitles: { 'pt-PT': 'ausente' },
    run: awayCommand,
  },
];

/** The command `text` names, and its arguments. */
export function matchCommand(text: string): { command: Command; args: string[] } | undefined {
  const normalised = text.replace(/\s+/g, ' ').trim();
  for (const command of COMMANDS) {
    const match = command.pattern.exec(normalised);
    if (match) return { command, args: match.slice(1) };
  }
  return undefined;
}

/** Runs a command where it works and for whom the table allows; otherwise says why not. */
export async function runCommand(context: TurnContext, text: string, deps: BotDeps): Promise<void> {
  const { t } = viewFor(context, deps);
  const matched = matchCommand(text);
  if (!matched) {
    await context.sendActivity(t('command.unknown'));
    return;
  }
  const { command, args } = matched;
  if (
    command.place === 'team channel' &&
    !(teamsGetTeamInfo(context.activity)?.id && currentChannelId(context))
  ) {
    await context.sendActivity(t('command.needsTeamChannel'));
    return;
  }
  if (command.access !== 'anyone') {
    if (!deps.door.mayUse(command.access, await viewerOf(context, deps))) {
      await context.sendActivity(t('refusal.managersOnly'));
      return;
    }
  }
  await command.run(context, args, deps);
}
