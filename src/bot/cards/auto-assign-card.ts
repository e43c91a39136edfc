import { ruleValueText } from '../../i18n/messages.js';
import type { Translator } from '../../i18n/translator.js';
import type { AssignRule } from '../../leads/auto-assign-data.js';
import type { RotationRow } from '../../leads/auto-assign-settings.js';
import type { AutoAssignView } from '../../leads/door.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, textBlock } from './adaptive-card.js';
import { whenText } from './lead-status.js';
import { literalText } from './text.js';

export interface AutoAssignCardView {
  t: Translator;
  timeZone: string;
  now: Date;
}

/** The people shown: a big team's status stays a card, not a scroll (the tab shows everyone). */
const MAX_ROWS = 30;

/** A team's automatic assignment: on or off, who is in the rotation and who is next, capacity, rules. */
export function renderAutoAssignCard(view: AutoAssignView, v: AutoAssignCardView): AdaptiveCard {
  const { t } = v;
  const { settings } = view;
  const body: CardElement[] = [
    literalText(t('auto.title', { team: view.teamName }), 120, { size: 'Large', weight: 'Bolder' }),
    textBlock(settings.enabled ? t('auto.on') : t('auto.off'), {
      weight: 'Bolder',
      color: settings.enabled ? 'Good' : 'Default',
    }),
    textBlock(settings.only ? t('auto.rotationOnly') : t('auto.rotationEveryone'), {
      isSubtle: true,
      spacing: 'Small',
    }),
    textBlock(
      settings.capacity !== undefined
        ? t('auto.capacity', { count: settings.capacity })
        : t('auto.noCapacity'),
      { isSubtle: true, spacing: 'None' },
    ),
    textBlock(t('auto.rulesTitle'), { weight: 'Bolder', spacing: 'Medium' }),
    ...(settings.rules.length === 0
      ? [textBlock(t('auto.noRules'), { isSubtle: true, spacing: 'None' })]
      : settings.rules.map((rule, i) => ({
          ...literalText(`${i + 1}. ${ruleText(rule, t)}`, 400),
          spacing: 'None',
        }))),
    header(t),
    ...view.rotation.slice(0, MAX_ROWS).map((row) => personRow(row, v)),
  ];
  return adaptiveCard(body);
}

/** "country Portugal, Brazil → ana@contoso.com": a rule as the status and the reply say it. */
export function ruleText(rule: AssignRule, t: Translator): string {
  return t('auto.rule', {
    field: t(`auto.field.${rule.field}`),
    values: rule.values.map((value) => ruleValueText(rule.field, value, t)).join(', '),
    people: rule.to.join(', '),
  });
}

// Weights, not `auto`: every row's columns line up with the header's.
const WIDTHS = [4, 2, 4, 4];

function columns(cells: CardElement[], options: Record<string, unknown> = {}): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    ...options,
    columns: cells.map((cell, i) => ({
      type: 'Column',
      width: WIDTHS[i],
      items: [cell],
    })),
  };
}

function header(t: Translator): CardElement {
  const cell = (text: string) => textBlock(text, { weight: 'Bolder', size: 'Small', isSubtle: true });
  return columns(
    [t('auto.col.person'), t('auto.col.open'), t('auto.col.last'), t('auto.col.state')].map(cell),
    { spacing: 'Medium', separator: true },
  );
}

function personRow(row: RotationRow, v: AutoAssignCardView): CardElement {
  const { t } = v;
  const state = row.awayUntil
    ? t('auto.state.away', { date: t.formatDate(dayIn(row.awayUntil, v.timeZone)) })
    : !row.inRotation
      ? t('auto.state.out')
      : row.full
        ? t('auto.state.full')
        : row.next
          ? t('auto.state.next')
          : t('auto.state.ready');
  const color = row.next ? 'Good' : row.awayUntil || row.full ? 'Warning' : 'Default';
  return columns([
    literalText(row.person.name, 80, { weight: row.next ? 'Bolder' : 'Default' }),
    textBlock(String(row.openLeads)),
    textBlock(row.lastAssigned ? whenText(row.lastAssigned, v) : t('auto.never'), { isSubtle: true }),
    textBlock(state, { color, wrap: true }),
  ]);
}

/** The calendar day an instant falls on in the zone (YYYY-MM-DD): an absence ends as that day starts. */
function dayIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(iso));
}
