import type { MessagingExtensionResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { leadIdFromLink } from '../../leads/lead-links.js';
import { askerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { resultList } from '../cards/result-attachment.js';
import { resultAttachments } from './result-view.js';

const linkValue = z.object({ url: z.string().max(2048) });

/**
 * `composeExtension/queryLink`: a pasted lead link becomes the lead's card for someone who may see
 * it. For anyone else, and for a link that is malformed, not ours or names no lead, the same empty
 * list: nothing says whether the lead exists.
 */
export async function unfurlLeadLink(
  context: TurnContext,
  deps: BotDeps,
): Promise<MessagingExtensionResponse> {
  const parsed = linkValue.safeParse(context.activity.value);
  const id = parsed.success ? leadIdFromLink(parsed.data.url, deps.config.botDomain) : undefined;
  if (!id) return resultList([]);
  const seen = await deps.door.lead(askerOf(context.activity), id);
  return resultList(seen ? resultAttachments(context, [seen.lead], deps) : []);
}
