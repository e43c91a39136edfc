import type { TurnContext } from 'botbuilder';
import type { Lead } from '../../leads/lead.js';
import { leadLink } from '../../leads/lead-links.js';
import type { ViewDeps } from '../bot-deps.js';
import { leadResultAttachment } from '../cards/result-attachment.js';
import { viewFor } from '../turn-helpers.js';

/** Leads as message extension results, in the asker's language, each with its lead link when BOT_DOMAIN is set. */
export function resultAttachments(
  context: TurnContext,
  leads: readonly Lead[],
  deps: Pick<ViewDeps, 'config' | 'now'>,
) {
  const { t, timeZone, now } = viewFor(context, deps);
  const domain = deps.config.botDomain;
  return leads.map((lead) =>
    leadResultAttachment(lead, { t, timeZone, now, ...(domain ? { link: leadLink(domain, lead.id) } : {}) }),
  );
}
