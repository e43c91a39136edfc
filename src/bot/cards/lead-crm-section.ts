import type { Translator } from '../../i18n/translator.js';
import type { Campaign, Lead } from '../../leads/lead.js';
import type { Actor } from '../../leads/lifecycle.js';
import { verbOffers } from '../../leads/verbs.js';
import { type CardAction, type CardElement, textBlock } from './adaptive-card.js';
import { verbAction } from './lead-actions.js';
import { literalText } from './text.js';

// Where the lead stands outside Teams: its campaign, its CRM record, and whether an import
// recovered it. The buttons sit in the body (an ActionSet), so the card's own row of actions
// stays within the six Teams shows.

const FIELD = 200;

/** "Recovered from a Partner Center export (1 Dec 2026)", for leads an import found. */
export function recoveredLine(lead: Lead, t: Translator): CardElement[] {
  if (!lead.recovered) return [];
  const date = t.formatDate(lead.recovered.at.slice(0, 10));
  return [textBlock(t('card.recovered', { date }), { isSubtle: true, size: 'Small', spacing: 'Small' })];
}

/** The Campaign and CRM facts, "Open in CRM", and the forms to link a record or tag a campaign. */
export function renderCrmSection(lead: Lead, t: Translator, viewer?: Actor): CardElement[] {
  const facts = [
    ...(lead.campaign && campaignText(lead.campaign)
      ? [fact(t('card.campaign'), campaignText(lead.campaign))]
      : []),
    ...(lead.crm?.id ? [fact(t('card.crm'), lead.crm.id)] : []),
  ];
  const actions = crmActions(lead, t, viewer);
  return [
    ...facts,
    ...(actions.length > 0 ? [{ type: 'ActionSet', spacing: 'Small', actions } as CardElement] : []),
  ];
}

/** "spring-launch (mkt-123) · linkedin / social": the name (or id) first, then where it came from. */
export function campaignText(campaign: Campaign): string {
  const head = campaign.name
    ? campaign.id && campaign.id !== campaign.name
      ? `${campaign.name} (${campaign.id})`
      : campaign.name
    : (campaign.id ?? '');
  const via = [campaign.source, campaign.medium].filter(Boolean).join(' / ');
  return [head, via].filter(Boolean).join(' · ');
}

function crmActions(lead: Lead, t: Translator, viewer: Actor | undefined): CardAction[] {
  const actions: CardAction[] = [];
  // The URL was checked to be https when it was stored.
  if (lead.crm?.url) actions.push({ type: 'Action.OpenUrl', title: t('card.openInCrm'), url: lead.crm.url });
  const data = { leadId: lead.id, version: lead.version };
  // Beside what they change: the CRM link and, for managers, the campaign (the table's "details" verbs).
  for (const offer of verbOffers(lead, viewer, [], t.locale))
    if (offer.spec.place === 'details') actions.push(verbAction(offer, data, t));
  return actions;
}

function fact(label: string, value: string): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      { type: 'Column', width: '90px', items: [textBlock(label, { isSubtle: true })] },
      // Campaign parameters come from a URL anyone can craft: literal.
      { type: 'Column', width: 'stretch', items: [literalText(value, FIELD)] },
    ],
  };
}
