import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { isClaimable } from '../../leads/access.js';
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
  kind: z.literal('unassigned').optional(),
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
  const base = viewFor(context, deps);
  const view = { ...base, ...(notice ? { notice } : {}), ...(list.kind ? { kind: list.kind } : {}) };
  const total = Math.max(list.total, leads.length);
  // The title is rebuilt from the list's kind: a title from the card would keep the count before the claim.
  const title =
    list.kind === 'unassigned'
      ? base.t('list.unassigned', { count: Math.max(0, total - leads.filter((l) => !isClaimable(l)).length) })
      : list.title;
  return renderLeadListCard(title, leads, view, total);
}
