// The team's automatic assignment, read-only, for its managers: on or off, capacity, the rules in
// words, and who is in the rotation with what decides whether they get the next lead. The server
// decides who may see it (GET /api/tab/auto-assign answers others 403 or 404); this only draws it.
import type { AutoAssignView, RotationRow } from './api.js';
import { h } from './dom.js';
import { longDate, priorityText, relativeTime, storefrontText } from './labels.js';
import type { Strings } from './strings.js';

/** The panel's content: a one-line summary (the disclosure's button) and the details under it. */
export function renderAutoAssign(s: Strings, view: AutoAssignView, now: Date): HTMLElement[] {
  const inRotation = view.rotation.filter((r) => r.inRotation).length;
  const summary = h(
    'summary',
    { 'data-focus-key': 'auto-assign' },
    h('span', { class: 'auto-assign-title' }, s('autoAssign')),
    h(
      'span',
      { class: `pill ${view.enabled ? 'on' : 'off'}`, 'data-enabled': String(view.enabled) },
      view.enabled ? s('autoAssignOn') : s('autoAssignOff'),
    ),
    h(
      'span',
      { class: 'muted' },
      inRotation === 1 ? s('autoAssignSummaryOne') : s('autoAssignSummary', { people: inRotation }),
    ),
  );
  const team = view.teamName;
  const body = h(
    'div',
    { class: 'auto-assign-body' },
    h('p', {}, view.enabled ? s('autoAssignOnLine', { team }) : s('autoAssignOffLine', { team })),
    h(
      'ul',
      { class: 'auto-assign-facts' },
      h(
        'li',
        { 'data-fact': 'capacity' },
        view.capacity === undefined ? s('noCapacity') : s('capacityLine', { n: view.capacity }),
      ),
      h('li', { 'data-fact': 'rotation' }, view.everyone ? s('rotationEveryone') : s('rotationOnly')),
    ),
    h('h2', {}, s('rules')),
    ...rules(s, view),
    table(s, view.rotation, now),
    h(
      'p',
      { class: 'muted' },
      s('readOnly'),
      view.changedBy && view.changedAt
        ? ` ${s('changedBy', { name: view.changedBy, when: relativeTime(s, view.changedAt, now) })}`
        : '',
    ),
  );
  return [summary, body];
}

function rules(s: Strings, view: AutoAssignView): HTMLElement[] {
  if (view.rules.length === 0) return [h('p', { class: 'muted' }, s('noRules'))];
  const or = new Intl.ListFormat(s.intl, { type: 'disjunction' });
  const and = new Intl.ListFormat(s.intl, { type: 'conjunction' });
  const lines = view.rules.map((rule) =>
    h(
      'li',
      {},
      s('ruleLine', {
        field: fieldText(s, rule.field),
        values: or.format(rule.values.map((v) => valueText(s, rule.field, v))),
        people: and.format(rule.to),
      }),
    ),
  );
  return [h('ol', { class: 'auto-assign-rules' }, ...lines), h('p', { class: 'muted' }, s('rulesNote'))];
}

function fieldText(s: Strings, field: string): string {
  switch (field) {
    case 'country':
      return s.card('card.country');
    case 'offer':
      return s('offer');
    case 'storefront':
      return s('storefront');
    case 'priority':
      return s.card('priority.column');
    default:
      return field;
  }
}

/** A rule's value in the reader's words: "PT" → "Portugal", "AppSource", "High" / "Alta". */
export function valueText(s: Strings, field: string, value: string): string {
  if (field === 'storefront') return storefrontText(s, value);
  if (field === 'priority') return priorityText(s, value);
  if (field === 'country' && /^[A-Z]{2}$/.test(value)) {
    try {
      return new Intl.DisplayNames([s.intl], { type: 'region' }).of(value) ?? value;
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * `away until 2026-12-24` keeps someone away to the end of that day: the server keeps the moment they
 * are back (the next midnight), and the column says the last day away, as they typed it.
 */
function lastDayAway(s: Strings, backAt: string): string {
  const at = Date.parse(backAt);
  return Number.isNaN(at) ? backAt : longDate(s, new Date(at - 1).toISOString());
}

function table(s: Strings, rows: RotationRow[], now: Date): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, s('noMembers'));
  const head = [s('person'), s('inRotation'), s('openLeads'), s('lastAssigned'), s('awayUntil'), s('full')];
  const when = (iso: string | undefined, text: string) =>
    iso ? h('time', { datetime: iso, title: longDate(s, iso, true) }, text) : s('never');
  const body = rows.map((row) =>
    h(
      'tr',
      { 'data-person': row.aadObjectId, class: row.inRotation ? undefined : 'out' },
      h(
        'th',
        { scope: 'row' },
        row.name,
        ...(row.next ? [' ', h('span', { class: 'pill on' }, s('next'))] : []),
      ),
      h('td', { 'data-cell': 'inRotation' }, row.inRotation ? s('yes') : s('no')),
      h('td', { 'data-cell': 'openLeads', class: 'number' }, String(row.openLeads)),
      h(
        'td',
        { 'data-cell': 'lastAssigned' },
        when(row.lastAssigned, relativeTime(s, row.lastAssigned, now)),
      ),
      h(
        'td',
        { 'data-cell': 'awayUntil' },
        row.awayUntil ? when(row.awayUntil, lastDayAway(s, row.awayUntil)) : s('nobody'),
      ),
      h('td', { 'data-cell': 'full' }, row.full ? h('span', { class: 'pill full' }, s('yes')) : s('no')),
    ),
  );
  // At phone width the table scrolls sideways: focusable, so the keyboard can scroll it too.
  return h(
    'div',
    { class: 'rotation-wrap', tabindex: 0, role: 'region', 'aria-label': s('autoAssign') },
    h(
      'table',
      { class: 'rotation' },
      h('caption', {}, s('rotationCaption')),
      h('thead', {}, h('tr', {}, ...head.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, ...body),
    ),
  );
}
