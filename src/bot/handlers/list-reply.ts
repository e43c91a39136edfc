import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Lead } from '../../leads/lead.js';
import { normaliseLeadId } from '../../leads/lead-id.js';
import { viewerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { LIST_LIMIT, type ListContext, renderLeadListCard } from '../cards/lead-list-card.js';
import { viewFor } from '../turn-helpers.js';

const listContext = z.object({
  title: z.string().max(300),
  ids: z.array(z.string().max(20)).max(LIST_LIMIT),
  total: z.number().int().nonnegative().max(1_000_000),
});

/** The list a click came from, if it came from one (card data is untrusted: anything odd is no list). */
export function parseListContext(data: Record<string, unknown>): ListContext | undefined {
  const parsed = listContext.safeParse(data.list);
  if (!parsed.success) return undefined;
  const ids = parsed.data.ids.map(normaliseLeadId).filter((id): id is string => id !== undefined);
  return { ...parsed.data, ids };
}

/**
 * The same list again, each row as it is now. Rows are read afresh and only those the clicker may
 * see here are shown: the ids come from the card, which anybody could have forged.
 */
export async function renderListAgain(
  context: TurnContext,
  list: ListContext,
  deps: BotDeps,
  notice?: string,
) {
  const viewer = await viewerOf(context, deps);
  const leads: Lead[] = [];
  for (const id of list.ids) {
    const seen = await deps.door.lead(viewer, id);
    if (seen) leads.push(seen.lead);
  }
  const view = { ...viewFor(context, deps), ...(notice ? { notice } : {}) };
  return renderLeadListCard(list.title, leads, view, Math.max(list.total, leads.length));
}
