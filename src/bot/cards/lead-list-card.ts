import { customerName, type Lead } from '../../leads/lead.js';
import { actionLabelKey } from '../../leads/marketplace-payload.js';
import type { Translator } from '../i18n/translator.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, textBlock } from './adaptive-card.js';
import { literalText, plainText } from './text.js';

export const LIST_LIMIT = 10;

/**
 * A list of leads that stays usable with hundreds: the first LIST_LIMIT with the total count,
 * each with Open (its card) and, while nobody has it, Claim.
 */
export function renderLeadListCard(title: string, leads: Lead[], t: Translator, now: Date): AdaptiveCard {
  const shown = leads.slice(0, LIST_LIMIT);
  // The title can carry what somebody typed (find <text>), so it is literal too.
  const body: CardElement[] = [literalText(title, 200, { size: 'Medium', weight: 'Bolder' })];
  if (leads.length === 0) body.push(textBlock(t('list.none'), { isSubtle: true }));
  for (const lead of shown) body.push(row(lead, t, now));
  if (leads.length > shown.length) {
    body.push(
      textBlock(t('list.more', { shown: shown.length, count: leads.length }), {
        isSubtle: true,
        size: 'Small',
      }),
    );
  }
  return adaptiveCard(body);
}

function row(lead: Lead, t: Translator, now: Date): CardElement {
  const who =
    [customerName(lead.customer), lead.customer.company].filter(Boolean).join(' · ') || t('card.noName');
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(lead.receivedAt)) / 86_400_000));
  const meta = `${lead.id} · ${t(actionLabelKey(lead.source.action))} · ${plainText(lead.offerTitle, 60)} · ${t('list.age', { days })}`;
  const data = { leadId: lead.id, version: lead.version };
  const actions = [
    { type: 'Action.Execute', title: t('list.open'), verb: 'lead.refresh', data },
    ...(lead.status === 'new' && !lead.doNotContact && !lead.isTest
      ? [{ type: 'Action.Execute', title: t('card.claim'), verb: 'lead.claim', data, style: 'positive' }]
      : []),
  ];
  return {
    type: 'Container',
    separator: true,
    spacing: 'Medium',
    items: [
      {
        type: 'ColumnSet',
        columns: [
          {
            type: 'Column',
            width: 'stretch',
            items: [
              literalText(who, 120, { weight: 'Bolder' }),
              { ...literalText(meta, 200, { isSubtle: true, size: 'Small' }), spacing: 'None' },
            ],
          },
          {
            type: 'Column',
            width: 'auto',
            items: [textBlock(t(`status.${lead.status}`), { size: 'Small' })],
          },
        ],
      },
      { type: 'ActionSet', actions },
    ],
  };
}
