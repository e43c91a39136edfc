import { CardFactory, type TurnContext } from 'botbuilder';
import type { Lead } from '../../leads/lead.js';
import { askerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { type ListContext, renderLeadListCard } from '../cards/lead-list-card.js';
import { plainText } from '../cards/text.js';
import { viewFor } from '../turn-helpers.js';

async function sendList(
  context: TurnContext,
  deps: BotDeps,
  title: string,
  leads: Lead[],
  kind?: ListContext['kind'],
) {
  const view = { ...viewFor(context, deps), ...(kind ? { kind } : {}) };
  await context.sendActivity({
    attachments: [CardFactory.adaptiveCard(renderLeadListCard(title, leads, view))],
  });
}

/** `my leads`: the caller's open leads, oldest first. */
export async function listMyLeads(context: TurnContext, _args: string[], deps: BotDeps): Promise<void> {
  const { leads } = await deps.door.myLeads(askerOf(context.activity));
  await sendList(context, deps, viewFor(context, deps).t('list.myLeads', { count: leads.length }), leads);
}

/** `unassigned`: new leads nobody has claimed, of the teams the caller may see (here). */
export async function listUnclaimedLeads(
  context: TurnContext,
  _args: string[],
  deps: BotDeps,
): Promise<void> {
  const { leads } = await deps.door.unclaimed(askerOf(context.activity));
  const title = viewFor(context, deps).t('list.unassigned', { count: leads.length });
  await sendList(context, deps, title, leads, 'unassigned');
}

/** `find <text>`: by id, name, company, offer, or e-mail where the caller may see it, among the leads they may see. */
export async function findLeadsCommand(
  context: TurnContext,
  [text = '']: string[],
  deps: BotDeps,
): Promise<void> {
  const { t } = viewFor(context, deps);
  const query = text.trim().slice(0, 100);
  if (!query) {
    await context.sendActivity(t('command.findNeedsText'));
    return;
  }
  const { leads } = await deps.door.find(askerOf(context.activity), query);
  await sendList(context, deps, t('list.found', { text: plainText(query, 40), count: leads.length }), leads);
}
