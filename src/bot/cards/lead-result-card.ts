import { priorityLabel } from '../../i18n/priority-words.js';
import type { Translator } from '../../i18n/translator.js';
import { customerName, type Lead } from '../../leads/lead.js';
import { priorityOf } from '../../leads/priority.js';
import type { AdaptiveCard, CardAction, CardElement } from './adaptive-card.js';
import { textBlock } from './adaptive-card.js';
import { leadHeadline } from './lead-card.js';
import { statusLabel, statusLines } from './lead-status.js';
import { literalText, plainText } from './text.js';

// What the message extension puts in a conversation (a search result, an unfurled lead link): a
// summary anyone in that chat may read, so no e-mail, no phone, no note; and a link to the lead,
// which only people who may see it can open. Adaptive Card 1.3: what Teams supports for
// link unfurling, and nothing here needs more (no Action.Execute: it works only on cards the bot sends).

export interface ResultView {
  t: Translator;
  timeZone: string;
  now?: Date;
  /** The lead's link (https://<BOT_DOMAIN>/leads/<id>); without BOT_DOMAIN the card has no button. */
  link?: string;
}

const NAME = 120;
const FIELD = 200;

/** The card inserted in the conversation. Pure: same lead and view, same card. */
export function renderLeadResultCard(lead: Lead, view: ResultView): AdaptiveCard {
  const { t } = view;
  const c = lead.customer;
  const name = customerName(c);
  const role = [c.title, c.company].filter((part) => part.trim() !== '').join(' · ');
  const [owner] = statusLines(lead, view);
  const body: CardElement[] = [
    {
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            textBlock(leadHeadline(lead, t), { weight: 'Bolder', color: 'Accent' }),
            ...(lead.offerTitle
              ? [{ ...literalText(lead.offerTitle, FIELD, { isSubtle: true }), spacing: 'None' }]
              : []),
          ],
        },
        {
          type: 'Column',
          width: 'auto',
          items: [textBlock(statusLabel(lead, t), { weight: 'Bolder', size: 'Small' })],
        },
      ],
    },
    name
      ? { ...literalText(name, NAME, { size: 'Large', weight: 'Bolder' }), spacing: 'Medium' }
      : textBlock(t('card.noName'), { size: 'Large', isSubtle: true, spacing: 'Medium' }),
    ...(role ? [{ ...literalText(role, FIELD, { isSubtle: true }), spacing: 'None' }] : []),
    ...(owner
      ? [
          {
            ...literalText(owner, FIELD, lead.owner ? { weight: 'Bolder' } : { isSubtle: true }),
            spacing: 'Small',
          },
        ]
      : []),
    textBlock(
      `${t('card.leadId', { id: lead.id })} · ${t('card.received', { time: t.formatDateTime(lead.receivedAt, view.timeZone) })}`,
      {
        isSubtle: true,
        size: 'Small',
        spacing: 'Small',
      },
    ),
  ];
  const actions: CardAction[] = view.link
    ? [{ type: 'Action.OpenUrl', title: t('card.openInTab'), url: view.link }]
    : [];
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.3',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    fallbackText: previewTitle(lead, t),
  };
}

/** A thumbnail card's fields, shown in the search result list (never posted). */
export interface ThumbnailCard {
  title: string;
  subtitle?: string;
  text?: string;
}

/**
 * The result list's line for a lead: name, company, status. (Priority too once leads carry one;
 * they do not yet.) A thumbnail card is not an Adaptive Card: Teams reads HTML in its text, so
 * lead fields go through `thumbnailText`.
 */
export function renderLeadPreview(lead: Lead, t: Translator): ThumbnailCard {
  const company = lead.customer.company.trim();
  const name = customerName(lead.customer);
  return {
    title: thumbnailText(name || company || t('card.noName'), 80),
    ...(name && company ? { subtitle: thumbnailText(company, 80) } : {}),
    text: [statusLabel(lead, t), ...previewPriority(lead, t), lead.id].join(' · '),
  };
}

/** The priority in the result list, as the lists show it (test and do-not-contact leads have none). */
function previewPriority(lead: Lead, t: Translator): string[] {
  return lead.isTest || lead.doNotContact ? [] : [priorityLabel(priorityOf(lead).level, t)];
}

function previewTitle(lead: Lead, t: Translator): string {
  return plainText(customerName(lead.customer) || lead.customer.company || t('card.noName'), 80);
}

/**
 * Lead text as a thumbnail card field shows it literally: invisible characters removed, and the
 * characters HTML or markdown would read as markup written as character references.
 */
export function thumbnailText(value: string, maxLength: number): string {
  return plainText(value, maxLength)
    .replace(/\s+/g, ' ')
    .replace(/[&<>"'[\]*_`~#|\\]/g, (c) => `&#${c.charCodeAt(0)};`);
}
