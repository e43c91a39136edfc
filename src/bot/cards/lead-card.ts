import { priorityLabel, priorityReasonsLine } from '../../i18n/priority-words.js';
import type { Translator } from '../../i18n/translator.js';
import { countryName } from '../../leads/countries.js';
import type { Lead, LeadStatus, Person } from '../../leads/lead.js';
import { customerName } from '../../leads/lead.js';
import { leadLink, tabDeepLink } from '../../leads/lead-links.js';
import type { Actor } from '../../leads/lifecycle.js';
import { actionLabelKey, storefrontLabelKey } from '../../leads/marketplace-payload.js';
import { type PriorityLevel, priorityOf } from '../../leads/priority.js';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardAction,
  type CardElement,
  textBlock,
} from './adaptive-card.js';
import { renderLeadActions } from './lead-actions.js';
import { renderLeadFooter } from './lead-card-footer.js';
import { recoveredLine, renderCrmSection } from './lead-crm-section.js';
import { statusLabel } from './lead-status.js';
import { showPhone } from './phone.js';
import { literalText, mailtoUrl, plainText } from './text.js';

export interface LeadCardView {
  t: Translator;
  timeZone: string;
  now?: Date;
  /** Shown on top, e.g. "Megan Bowen changed this at 10:42". */
  notice?: string;
  /** Team members the lead can be assigned to; without them the card has no Assign form. */
  roster?: Person[];
  /** Who looks at it: only the actions this person may take are offered. Without one, all that the status allows. */
  viewer?: Actor;
  /** CONTACT_VISIBILITY=owner and the viewer is neither the owner nor a manager. */
  hideContact?: boolean;
  /** A reminder to the owner: offer Snooze. */
  snooze?: boolean;
  /** The Teams app id: the card links to the lead in the Leads tab. */
  appId?: string;
  /** BOT_DOMAIN: the card offers the lead's link to copy. */
  botDomain?: string;
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
    ...(lead.erased ? [banner(erasedText(lead, t), 'warning')] : []),
    ...recoveredLine(lead, t),
    ...customer(lead, t, view.hideContact === true),
    ...renderCrmSection(lead, t, view.viewer),
    ...note(lead, t),
    renderLeadFooter(lead, view),
  ];
  const actions = renderLeadActions(lead, t, view.roster ?? [], view.viewer);
  if (view.snooze) {
    const data = { leadId: lead.id, version: lead.version };
    actions.unshift({ type: 'Action.Execute', title: t('reminder.snooze'), verb: 'lead.snooze', data });
  }
  if (view.botDomain && !lead.isTest) actions.push(copyLinkAction(leadLink(view.botDomain, lead.id), t));
  if (view.appId && !lead.isTest)
    actions.push({
      type: 'Action.OpenUrl',
      title: t('card.openInTab'),
      url: tabDeepLink(view.appId, lead.id),
    });
  const card = adaptiveCard(body, actions);
  if (lead.isTest) return card;
  // No userIds: in channels of up to 60 members Teams fetches each viewer's own card (UAM refresh).
  const data = { leadId: lead.id, version: lead.version };
  return {
    ...card,
    refresh: { action: { type: 'Action.Execute', title: t('card.refresh'), verb: 'lead.refresh', data } },
  };
}

/** One line for notifications and the activity summary: no personal data. */
export function renderLeadCardFallbackText(lead: Lead, t: Translator): string {
  return t('card.fallback', {
    action: t(actionLabelKey(lead.source.action)),
    offer: plainText(lead.offerTitle, 80),
  });
}

/** "AppSource · Contact me"; just "Test drive" when the call to action already names the storefront. */
export function leadHeadline(lead: Lead, t: Translator): string {
  const storefront = t(storefrontLabelKey(lead.source.storefront));
  const action = t(actionLabelKey(lead.source.action));
  return action.toLowerCase().includes(storefront.toLowerCase()) ? action : `${storefront} · ${action}`;
}

function header(lead: Lead, t: Translator): CardElement {
  const headline = leadHeadline(lead, t);
  return {
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          textBlock(headline, { weight: 'Bolder', color: 'Accent', size: 'Medium' }),
          ...(lead.offerTitle ? [literalText(lead.offerTitle, FIELD, { isSubtle: true })] : []),
          ...priorityLine(lead, t),
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Center',
        items: [
          {
            type: 'Container',
            style: lead.doNotContact ? 'default' : statusStyle[lead.status],
            bleed: false,
            items: [textBlock(statusLabel(lead, t), { weight: 'Bolder', size: 'Small' })],
          },
          ...priorityBadge(lead, t),
        ],
      },
    ],
  };
}

// Test and do-not-contact leads are not ranked: their banners say what they are.
const ranked = (lead: Lead) => !lead.isTest && !lead.doNotContact;

const priorityStyle: Record<PriorityLevel, string> = {
  high: 'attention',
  medium: 'warning',
  low: 'emphasis',
  fyi: 'default',
};

function priorityBadge(lead: Lead, t: Translator): CardElement[] {
  if (!ranked(lead)) return [];
  const { level } = priorityOf(lead);
  return [
    {
      type: 'Container',
      style: priorityStyle[level],
      spacing: 'Small',
      items: [textBlock(priorityLabel(level, t), { weight: 'Bolder', size: 'Small' })],
    },
  ];
}

/** Why the badge says what it does, on one short line under the headline. */
function priorityLine(lead: Lead, t: Translator): CardElement[] {
  if (!ranked(lead)) return [];
  // The three strongest: one short line under the headline, the rest is in the tab.
  const line = priorityReasonsLine(priorityOf(lead), t, 3);
  return line ? [textBlock(line, { isSubtle: true, size: 'Small', spacing: 'Small' })] : [];
}

function banner(text: string, style: 'warning' | 'attention'): CardElement {
  // Notices can carry a Teams display name: literal too.
  return { type: 'Container', style, items: [literalText(text, 300, { weight: 'Bolder' })] };
}

function erasedText(lead: Lead, t: Translator): string {
  const date = t.formatDate(lead.erased?.at ?? '');
  return t('card.erased', {
    date,
    reason: t(lead.erased?.reason === 'retention' ? 'card.erasedRetention' : 'card.erasedRequest'),
  });
}

function customer(lead: Lead, t: Translator, hideContact: boolean): CardElement[] {
  const c = lead.customer;
  const name = customerName(c);
  const role = [c.title, c.company].filter((part) => part.trim() !== '').join(' · ');
  const phone = showPhone(c.phone, c.country);
  // A do-not-contact lead is for information: the details show, but nothing to click to reach them.
  const link = (url: string | undefined) => (lead.doNotContact ? undefined : url);
  const contact: Array<[string, string, string | undefined]> = hideContact
    ? []
    : [
        [t('card.email'), c.email, link(mailtoUrl(c.email))],
        [t('card.phone'), phone.text, link(phone.url)],
      ];
  const rows: Array<[string, string, string | undefined]> = [
    ...contact,
    [t('card.country'), countryName(c.country, t.locale), undefined],
  ];
  const hiddenNote =
    hideContact && (c.email || c.phone)
      ? [textBlock(t('card.contactHidden'), { isSubtle: true, size: 'Small' })]
      : [];
  return [
    name
      ? { ...literalText(name, NAME, { size: 'Large', weight: 'Bolder' }), spacing: 'Medium' }
      : textBlock(t('card.noName'), { size: 'Large', isSubtle: true, spacing: 'Medium' }),
    ...(role ? [{ ...literalText(role, FIELD, { isSubtle: true }), spacing: 'None' }] : []),
    ...rows.filter(([, value]) => value.trim() !== '').map(([label, value, url]) => field(label, value, url)),
    ...hiddenNote,
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

/**
 * "Copy link": cards have no clipboard action, so it shows the lead's link ready to select and
 * copy (an input, which every client lets one select whole), with what the link does.
 */
function copyLinkAction(link: string, t: Translator): CardAction {
  return {
    type: 'Action.ShowCard',
    title: t('card.copyLink'),
    // In the overflow menu: the card's own buttons are for working the lead.
    mode: 'secondary',
    card: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      body: [{ type: 'Input.Text', id: 'leadLink', value: link, label: t('card.copyLinkHint') }],
    },
  };
}
