import { priorityLabel } from '../../i18n/priority-words.js';
import type { Translator } from '../../i18n/translator.js';
import { isClaimable } from '../../leads/access.js';
import { customerName, type Lead } from '../../leads/lead.js';
import { actionLabelKey } from '../../leads/marketplace-payload.js';
import { priorityOf } from '../../leads/priority.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, textBlock } from './adaptive-card.js';
import { statusLabel, statusLines } from './lead-status.js';
import { literalText, plainText } from './text.js';

export const LIST_LIMIT = 10;

/**
 * What a list's buttons carry besides the lead, so that a Claim in the list answers with the
 * same list (that row updated) instead of replacing it with one lead's card.
 */
export interface ListContext {
  title: string;
  ids: string[];
  total: number;
  /** The `unassigned` list counts again after a claim in it, so its title does not keep the old count. */
  kind?: 'unassigned';
}

export interface ListView {
  t: Translator;
  timeZone: string;
  now: Date;
  /** Shown on top, e.g. who claimed a lead first. */
  notice?: string;
  kind?: ListContext['kind'];
}

/**
 * A list of leads that stays usable with hundreds: the first LIST_LIMIT with the total count,
 * each with Open (its card) and, while nobody has it, Claim.
 */
export function renderLeadListCard(
  title: string,
  leads: Lead[],
  view: ListView,
  total = leads.length,
): AdaptiveCard {
  const { t } = view;
  const shown = leads.slice(0, LIST_LIMIT);
  const list: ListContext = {
    title,
    ids: shown.map((lead) => lead.id),
    total,
    ...(view.kind ? { kind: view.kind } : {}),
  };
  // The title can carry what somebody typed (find <text>), so it is literal too.
  const body: CardElement[] = [literalText(title, 200, { size: 'Medium', weight: 'Bolder' })];
  if (view.notice) {
    body.push({ type: 'Container', style: 'warning', items: [literalText(view.notice, 300)] });
  }
  if (total === 0) body.push(textBlock(t('list.none'), { isSubtle: true }));
  for (const lead of shown) body.push(row(lead, view, list));
  if (total > shown.length) {
    body.push(
      textBlock(t('list.more', { shown: shown.length, count: total }), {
        isSubtle: true,
        size: 'Small',
      }),
    );
  }
  return adaptiveCard(body);
}

function row(lead: Lead, view: ListView, list: ListContext): CardElement {
  const { t, now } = view;
  const who =
    [customerName(lead.customer), lead.customer.company].filter(Boolean).join(' · ') || t('card.noName');
  // "3\u00a0d": a no-break space, so a narrow card never wraps the unit to a line of its own.
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(lead.receivedAt)) / 86_400_000));
  // Lists run most urgent first: the priority says why a lead sits where it does.
  const ranked = !lead.isTest && !lead.doNotContact;
  const priority = ranked ? `${priorityLabel(priorityOf(lead).level, t)} · ` : '';
  const age = days === 0 ? t('list.ageToday') : t('list.age', { days });
  const meta = `${lead.id} · ${priority}${t(actionLabelKey(lead.source.action))} · ${plainText(lead.offerTitle, 60)} · ${age}`;
  const owner = lead.owner ? statusLines(lead, view)[0] : undefined;
  const data = { leadId: lead.id, version: lead.version };
  const actions = [
    { type: 'Action.Execute', title: t('list.open'), verb: 'lead.refresh', data },
    ...(isClaimable(lead)
      ? [
          {
            type: 'Action.Execute',
            title: t('card.claim'),
            verb: 'lead.claim',
            data: { ...data, list },
            style: 'positive',
          },
        ]
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
              ...(owner ? [{ ...literalText(owner, 200, { size: 'Small' }), spacing: 'None' }] : []),
            ],
          },
          {
            type: 'Column',
            width: 'auto',
            items: [textBlock(statusLabel(lead, t), { size: 'Small' })],
          },
        ],
      },
      { type: 'ActionSet', actions },
    ],
  };
}
