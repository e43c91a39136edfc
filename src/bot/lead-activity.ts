import type { Activity } from 'botbuilder';
import type { Translator } from '../i18n/translator.js';
import type { Lead, Person } from '../leads/lead.js';
import type { Actor } from '../leads/lifecycle.js';
import { cardAttachment } from './cards/adaptive-card.js';
import { renderLeadCard, renderLeadCardFallbackText } from './cards/lead-card.js';

export interface LeadView {
  t: Translator;
  timeZone: string;
  now: Date;
  notice?: string;
  roster?: Person[];
  viewer?: Actor;
  hideContact?: boolean;
  snooze?: boolean;
  /** The Teams app id, for the card's link to the Leads tab. */
  appId?: string;
  /** BOT_DOMAIN, for the lead's link (Copy link). */
  botDomain?: string;
}

export function leadCard(lead: Lead, view: LeadView) {
  return renderLeadCard(lead, view);
}

/** The message that carries a lead's card; its text shows in notifications, so it has no personal data. */
export function leadActivity(lead: Lead, view: LeadView): Partial<Activity> {
  const summary = renderLeadCardFallbackText(lead, view.t);
  return {
    type: 'message',
    summary,
    attachments: [cardAttachment(leadCard(lead, view))],
  };
}
