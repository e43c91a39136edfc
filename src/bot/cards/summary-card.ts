import { priorityLabel } from '../../i18n/priority-words.js';
import type { Translator } from '../../i18n/translator.js';
import type { ActionCode, Storefront } from '../../leads/lead.js';
import { actionLabelKey, storefrontLabelKey } from '../../leads/marketplace-payload.js';
import { PRIORITY_LEVELS } from '../../leads/priority.js';
import type { Summary } from '../../leads/reports.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, textBlock } from './adaptive-card.js';
import { literalText } from './text.js';

export interface SummaryView {
  t: Translator;
  timeZone: string;
  now: Date;
  offer?: string;
  campaign?: string;
}

/** A manager's summary: every figure as text, plus a funnel chart where the client draws charts. */
export function renderSummaryCard(s: Summary, view: SummaryView): AdaptiveCard {
  const { t } = view;
  const body: CardElement[] = [
    textBlock(t('summary.title', { period: periodLabel(s, view) }), { size: 'Large', weight: 'Bolder' }),
    ...(view.offer ? [literalText(t('summary.offer', { offer: view.offer }), 120, { isSubtle: true })] : []),
    ...(view.campaign
      ? [literalText(t('summary.campaign', { campaign: view.campaign }), 120, { isSubtle: true })]
      : []),
  ];
  if (s.received === 0) {
    body.push(textBlock(t('summary.empty'), { isSubtle: true }));
  } else {
    body.push(
      ...funnel(s, t),
      ...firstTouch(s, t),
      ...breakdowns(s, t),
      ...campaigns(s, t),
      ...owners(s, t),
      ...oldest(s, view),
    );
  }
  body.push(...apart(s, t));
  return adaptiveCard(body);
}

/** The leads kept out of the figures, said only when there are any. */
function apart(s: Summary, t: Translator): CardElement[] {
  const items = [
    ...(s.testLeads > 0 ? [t.plural('summary.testLeads', s.testLeads)] : []),
    ...(s.doNotContact > 0 ? [t.plural('summary.dncLeads', s.doNotContact)] : []),
  ];
  if (items.length === 0) return [];
  return [
    textBlock(t('summary.apart', { items: t.formatList(items) }), {
      isSubtle: true,
      size: 'Small',
      spacing: 'Medium',
    }),
  ];
}

function periodLabel(s: Summary, view: SummaryView): string {
  const { t } = view;
  const label = s.period.label;
  if (label === 'today') return t('summary.today');
  if (/^\d{4}-\d{2}-\d{2}$/.test(label)) return t.formatDate(label);
  const days =
    label === 'week' ? 7 : label === 'month' ? 30 : Number(/^(\d+)d$/.exec(label)?.[1] ?? Number.NaN);
  if (Number.isFinite(days)) return t('summary.days', { days });
  const [from = '', to = ''] = label.split('..');
  return t('summary.range', { from: t.formatDate(from), to: t.formatDate(to) });
}

function section(title: string): CardElement {
  return textBlock(title, { weight: 'Bolder', spacing: 'Medium', separator: true });
}

function row(label: string, value: CardElement): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      { type: 'Column', width: 'stretch', items: [value] },
      { type: 'Column', width: 'auto', items: [textBlock(label, { weight: 'Bolder' })] },
    ],
  };
}

function funnel(s: Summary, t: Translator): CardElement[] {
  const pct = (n: number) =>
    t('summary.rate', { count: n, rate: t.formatPercent(s.received ? n / s.received : 0) });
  const stages: Array<[string, string, number]> = [
    [t('summary.received'), String(s.received), s.received],
    [t('status.assigned'), pct(s.funnel.assigned), s.funnel.assigned],
    [t('status.qualified'), pct(s.funnel.qualified), s.funnel.qualified],
    [t('status.opportunity'), pct(s.funnel.opportunity), s.funnel.opportunity],
    [t('status.won'), pct(s.funnel.won), s.funnel.won],
    [t('status.lost'), String(s.funnel.lost), s.funnel.lost],
    [t('status.disqualified'), String(s.funnel.disqualified), s.funnel.disqualified],
  ];
  return [
    section(t('summary.funnel')),
    // Teams draws this; clients without charts drop it and still have the numbers below.
    // Horizontal bars with their values and no axis: every label has the full width, and no
    // axis divides a handful of leads into fractional ticks.
    {
      type: 'Chart.HorizontalBar',
      fallback: 'drop',
      displayMode: 'AbsoluteNoAxis',
      // A stage nobody reached is no bar: Teams drew it as a lone "0" under its label. The rows
      // below still say it.
      data: stages
        .slice(0, 5)
        .filter(([, , y]) => y > 0)
        .map(([x, , y]) => ({ x, y })),
    },
    ...stages.map(([label, text]) => row(text, textBlock(label))),
  ];
}

function firstTouch(s: Summary, t: Translator): CardElement[] {
  const ft = s.firstTouch;
  const line =
    ft.median === undefined || ft.p90 === undefined
      ? t('summary.noTouch')
      : t('summary.firstTouchLine', {
          median: duration(ft.median, t),
          p90: duration(ft.p90, t),
          touched: t.plural('summary.touched', ft.touched),
        });
  return [section(t('summary.firstTouch')), textBlock(line)];
}

function duration(minutes: number, t: Translator): string {
  if (minutes < 90) return t('summary.minutes', { n: Math.round(minutes) });
  if (minutes < 48 * 60) return t('summary.hours', { n: Math.round(minutes / 60) });
  return t('summary.daysShort', { n: Math.round(minutes / 1440) });
}

function breakdowns(s: Summary, t: Translator): CardElement[] {
  const storefronts = Object.entries(s.byStorefront) as Array<[Storefront, number]>;
  const actions = Object.entries(s.byAction) as Array<[ActionCode, number]>;
  return [
    section(t('summary.byStorefront')),
    // Ties in code order: the same card whatever order the counts were added up in (rollups).
    ...storefronts
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => row(String(n), textBlock(t(storefrontLabelKey(k))))),
    section(t('summary.byAction')),
    ...actions
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => row(String(n), textBlock(t(actionLabelKey(k))))),
    ...byPriority(s, t),
    section(t('summary.topOffers')),
    // Offer titles come from the marketplace listing: literal.
    ...s.topOffers.map((o) => row(String(o.count), literalText(o.offer, 80))),
  ];
}

/** High, Medium, Low in that order (not by count): the order a team works them in. */
function byPriority(s: Summary, t: Translator): CardElement[] {
  const levels = PRIORITY_LEVELS.filter((level) => (s.byPriority[level] ?? 0) > 0);
  if (levels.length === 0) return [];
  return [
    section(t('summary.byPriority')),
    ...levels.map((level) => row(String(s.byPriority[level]), textBlock(priorityLabel(level, t)))),
  ];
}

/** Only when some lead carries a campaign: otherwise one "No campaign" row says nothing new. */
function campaigns(s: Summary, t: Translator): CardElement[] {
  if (!s.byCampaign.some((c) => c.campaign !== undefined)) return [];
  return [
    section(t('summary.byCampaign')),
    ...s.byCampaign.slice(0, 10).map((c) => ({
      type: 'Container',
      spacing: 'Small',
      items: [
        // Campaign names come from listing URLs anyone can craft: literal.
        row(
          String(c.received),
          c.campaign === undefined
            ? textBlock(t('summary.noCampaign'), { isSubtle: true })
            : literalText(c.campaign, 80, { weight: 'Bolder' }),
        ),
        { ...textBlock(t('summary.campaignLine', { ...c.funnel }), { isSubtle: true }), spacing: 'None' },
      ],
    })),
  ];
}

function owners(s: Summary, t: Translator): CardElement[] {
  if (s.owners.length === 0) return [];
  return [
    section(t('summary.owners')),
    ...s.owners.slice(0, 10).map((o) => {
      const pipeline = Object.entries(o.pipeline).map(([currency, value]) =>
        t.formatCurrency(value, currency),
      );
      const line = [
        t('summary.ownerLine', { open: o.open, qualified: o.qualified, won: o.won }),
        ...(pipeline.length ? [t('summary.pipeline', { value: pipeline.join(' + ') })] : []),
      ].join(' · ');
      return {
        type: 'Container',
        spacing: 'Small',
        items: [
          literalText(o.name, 80, { weight: 'Bolder' }),
          { ...textBlock(line, { isSubtle: true }), spacing: 'None' },
        ],
      };
    }),
  ];
}

function oldest(s: Summary, view: SummaryView): CardElement[] {
  const { t } = view;
  if (s.oldestUntouched.length === 0) return [];
  return [
    section(t('summary.oldest')),
    ...s.oldestUntouched.map((u) =>
      literalText(
        `${u.id} · ${u.who || t('card.noName')} · ${t.formatDateTime(u.receivedAt, view.timeZone)}`,
        160,
      ),
    ),
  ];
}
