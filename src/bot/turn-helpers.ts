import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { translator } from '../i18n/translator.js';
import { normaliseLeadId } from '../leads/lead-id.js';
import type { ViewDeps } from './bot-deps.js';
import type { LeadView } from './lead-activity.js';

export function viewFor(
  context: TurnContext | undefined,
  deps: {
    config: Pick<ViewDeps['config'], 'defaultLocale' | 'timeZone' | 'bot'> & { botDomain?: string };
    now: () => Date;
  },
  notice?: string,
): LeadView {
  const t = translator(context?.activity.locale, deps.config.defaultLocale);
  // No app id in local mode: no Teams app to link to.
  const appId = deps.config.bot?.appId;
  const botDomain = deps.config.botDomain;
  return {
    t,
    timeZone: deps.config.timeZone,
    now: deps.now(),
    ...(notice ? { notice } : {}),
    ...(appId ? { appId } : {}),
    ...(botDomain ? { botDomain } : {}),
  };
}

const cardData = z.object({
  leadId: z.string().min(1).max(20),
  version: z.number().int().nonnegative(),
});

/** Card `data` is untrusted: it can be forged or come from a card rendered long ago. */
export function parseCardData(data: unknown): { leadId: string; version: number } {
  const parsed = cardData.safeParse(data);
  const leadId = parsed.success ? normaliseLeadId(parsed.data.leadId) : undefined;
  if (!parsed.success || !leadId) throw new ValidationError('The card data has no valid leadId and version.');
  return { leadId, version: parsed.data.version };
}

export type { CardNotice } from '../i18n/messages.js';
