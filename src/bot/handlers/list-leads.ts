import { CardFactory, type TurnContext } from 'botbuilder';
import { myOpenLeads, unclaimedLeads } from '../../leads/queries.js';
import { matchesSearch } from '../../leads/search.js';
import { resolveActor } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { renderLeadListCard } from '../cards/lead-list-card.js';
import { plainText } from '../cards/text.js';
import { viewFor } from '../turn-helpers.js';

async function sendList(
  context: TurnContext,
  deps: BotDeps,
  title: string,
  leads: Parameters<typeof renderLeadListCard>[1],
) {
  await context.sendActivity({
    attachments: [CardFactory.adaptiveCard(renderLeadListCard(title, leads, viewFor(context, deps)))],
  });
}

/** `my leads`: the caller's open leads, oldest first. */
export async function listMyLeads(context: TurnContext, _args: string[], deps: BotDeps): Promise<void> {
  const me = context.activity.from.aadObjectId ?? context.activity.from.id;
  const leads = myOpenLeads(await deps.store.listOpenLeads(), me);
  await sendList(context, deps, viewFor(context, deps).t('list.myLeads', { count: leads.length }), leads);
}

/** `unassigned`: new leads nobody has claimed. */
export async function listUnclaimedLeads(
  context: TurnContext,
  _args: string[],
  deps: BotDeps,
): Promise<void> {
  const leads = unclaimedLeads(await deps.store.listOpenLeads());
  await sendList(context, deps, viewFor(context, deps).t('list.unassigned', { count: leads.length }), leads);
}

/** `find <text>`: by id, name, company, offer, or e-mail where the caller may see it. */
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
  // The store finds candidates on everything; this person's words match only what they may see.
  const matches = matchesSearch(query, {
    viewer: await resolveActor(context, deps),
    visibility: deps.config.contactVisibility,
  });
  const leads = (await deps.store.searchLeads(query)).filter(matches);
  await sendList(context, deps, t('list.found', { text: plainText(query, 40), count: leads.length }), leads);
}
