import type { Lead, LeadStatus } from '../../leads/lead.js';
import { customerName } from '../../leads/lead.js';
import { actionLabelKey, storefrontLabelKey } from '../../leads/marketplace-payload.js';
import type { Translator } from '../i18n/translator.js';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardAction,
  type CardElement,
  textBlock,
} from './adaptive-card.js';
import { literalText, mailtoUrl, plainText, telUrl } from './text.js';

export interface LeadCardView {
  t: Translator;
  timeZone: string;
  now?: Date;
  /** Shown on top, e.g. "Megan Bowen changed this at 10:42". */
  notice?: string;
}

// Display limits; the stored lead keeps every character.
const NAME = 120;
const FIELD = 200;
const NOTE = 1500;

const statusStyle: Record<LeadStatus, string> = {
  new: 'accent',
  assigned: 'good',
  qualified: 'good',
  opportunity: 'good',
  won: 'good',
  lost: 'default',
  disqualified: 'default',
};

/** The lead as the sales team sees it. Pure: same lead and view, same card. */
export function renderLeadCard(lead: Lead, view: LeadCardView): AdaptiveCard {
  const { t } = view;
  const body: CardElement[] = [
    header(lead, t),
    ...(view.notice ? [banner(view.notice, 'warning')] : []),
    ...(lead.isTest ? [banner(t('card.testLead'), 'warning')] : []),
    ...(lead.doNotContact ? [banner(t('card.doNotContact'), 'attention')] : []),
    ...customer(lead, t),
    ...note(lead, t),
    footer(lead, view),
  ];
  return adaptiveCard(body, actions(lead, t));
}

/** One line for notifications and the activity summary: no personal data. */
export function renderLeadCardFallbackText(lead: Lead, t: Translator): string {
  return t('card.fallback', {
    action: t(actionLabelKey(lead.source.action)),
    offer: plainText(lead.offerTitle, 80),
  });
}

function header(lead: Lead, t: Translator): CardElement {
  const headline = `${t(storefrontLabelKey(lead.source.storefront))} · ${t(actionLabelKey(lead.source.action))}`;
  return {
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          textBlock(headline, { weight: 'Bolder', color: 'Accent', size: 'Medium' }),
          ...(lead.offerTitle ? [literalText(lead.offerTitle, FIELD, { isSubtle: true })] : []),
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Center',
        items: [
          {
            type: 'Container',
            style: statusStyle[lead.status],
            bleed: false,
            items: [textBlock(t(`status.${lead.status}`), { weight: 'Bolder', size: 'Small' })],
          },
        ],
      },
    ],
  };
}

function banner(text: string, style: 'warning' | 'attention'): CardElement {
  // Notices can carry a Teams display name: literal too.
  return { type: 'Container', style, items: [literalText(text, 300, { weight: 'Bolder' })] };
}

function customer(lead: Lead, t: Translator): CardElement[] {
  const c = lead.customer;
  const name = customerName(c);
  const role = [c.title, c.company].filter((part) => part.trim() !== '').join(' · ');
  const rows: Array<[string, string, string | undefined]> = [
    [t('card.email'), c.email, mailtoUrl(c.email)],
    [t('card.phone'), c.phone, telUrl(c.phone)],
    [t('card.country'), c.country, undefined],
  ];
  return [
    name
      ? { ...literalText(name, NAME, { size: 'Large', weight: 'Bolder' }), spacing: 'Medium' }
      : textBlock(t('card.noName'), { size: 'Large', isSubtle: true, spacing: 'Medium' }),
    ...(role ? [{ ...literalText(role, FIELD, { isSubtle: true }), spacing: 'None' }] : []),
    ...rows.filter(([, value]) => value.trim() !== '').map(([label, value, url]) => field(label, value, url)),
  ];
}

function field(label: string, value: string, url: string | undefined): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      { type: 'Column', width: '90px', items: [textBlock(label, { isSubtle: true })] },
      {
        type: 'Column',
        width: 'stretch',
        items: [literalText(value, FIELD, url ? { url, color: 'Accent' } : {})],
      },
    ],
  };
}

function note(lead: Lead, t: Translator): CardElement[] {
  // Partner Center sends "Campaigns: " or a blank for leads without a note.
  const text = lead.description.trim();
  if (text === '' || /^campaigns:\s*$/i.test(text) || lead.isTest) return [];
  return [
    textBlock(t('card.note'), { isSubtle: true, spacing: 'Medium', size: 'Small', weight: 'Bolder' }),
    { type: 'Container', style: 'emphasis', spacing: 'Small', items: [literalText(text, NOTE)] },
  ];
}

function footer(lead: Lead, view: LeadCardView): CardElement {
  const { t } = view;
  const claimed = [...lead.history]
    .reverse()
    .find((entry) => entry.action === 'claim' || entry.action === 'assign');
  const ownerLine = lead.owner
    ? claimed
      ? t('card.claimedBy', { name: lead.owner.name, time: t.formatTime(claimed.at, view.timeZone) })
      : t('card.ownedBy', { name: lead.owner.name })
    : t('card.unassigned');
  const received = `${t('card.received', { time: t.formatDateTime(lead.receivedAt, view.timeZone) })} · ${lead.id}`;
  return {
    type: 'Container',
    spacing: 'Medium',
    separator: true,
    items: [
      literalText(ownerLine, 200, lead.owner ? { weight: 'Bolder' } : { isSubtle: true }),
      { ...textBlock(received, { isSubtle: true, size: 'Small' }), spacing: 'None' },
    ],
  };
}

function actions(lead: Lead, t: Translator): CardAction[] {
  if (lead.isTest) return [];
  const data = { leadId: lead.id, version: lead.version };
  const result: CardAction[] = [];
  if (lead.status === 'new' && !lead.doNotContact) {
    result.push({
      type: 'Action.Execute',
      title: t('card.claim'),
      verb: 'lead.claim',
      data,
      style: 'positive',
    });
  }
  result.push({ type: 'Action.Execute', title: t('card.refresh'), verb: 'lead.refresh', data });
  return result;
}
