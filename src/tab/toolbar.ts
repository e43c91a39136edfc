// The top of the tab: title and scope, the view switch, export, and the filters.
import type { Filters } from './api.js';
import { h } from './dom.js';
import {
  ACTIONS,
  actionText,
  PRIORITIES,
  priorityText,
  STATUSES,
  STOREFRONTS,
  statusText,
  storefrontText,
} from './labels.js';
import type { Strings } from './strings.js';

export type View = 'board' | 'list' | 'charts';

export interface ToolbarHandlers {
  view(view: View): void;
  filters(change: Partial<Filters>): void;
  exportCsv(): void;
}

export function renderHeader(
  s: Strings,
  scope: string,
  view: View,
  charts: boolean,
  on: ToolbarHandlers,
): HTMLElement {
  const viewButton = (name: View, label: string) =>
    h(
      'fluent-toggle-button',
      {
        appearance: name === view ? 'primary' : undefined,
        pressed: name === view,
        'data-view': name,
        onclick: () => on.view(name),
      },
      label,
    );
  return h(
    'header',
    { class: 'bar' },
    h('div', { class: 'title' }, h('h1', {}, s('title')), h('p', { class: 'scope' }, scope)),
    h(
      'div',
      { class: 'views', role: 'group', 'aria-label': s('views') },
      viewButton('board', s('viewBoard')),
      viewButton('list', s('viewList')),
      charts && viewButton('charts', s('viewCharts')),
    ),
    h('fluent-button', { id: 'export', onclick: () => on.exportCsv() }, s('exportCsv')),
  );
}

export function renderFilters(s: Strings, filters: Filters, on: ToolbarHandlers): HTMLElement {
  const select = (key: keyof Filters, label: string, options: Array<[string, string]>) => {
    const id = `filter-${key}`;
    const control = h(
      'select',
      { id, name: key, onchange: (e: Event) => on.filters({ [key]: (e.target as HTMLSelectElement).value }) },
      ...options.map(([value, text]) => h('option', { value, selected: value === filters[key] }, text)),
    );
    return h('div', { class: 'field' }, h('label', { for: id }, label), control);
  };
  let typing: number | undefined;
  const search = h('input', {
    id: 'filter-q',
    type: 'search',
    name: 'q',
    value: filters.q,
    placeholder: s('searchHint'),
    autocomplete: 'off',
    oninput: (e: Event) => {
      window.clearTimeout(typing);
      const value = (e.target as HTMLInputElement).value;
      typing = window.setTimeout(() => on.filters({ q: value.trim() }), 300);
    },
  });
  const offer = h('input', {
    id: 'filter-offer',
    type: 'text',
    name: 'offer',
    value: filters.offer,
    autocomplete: 'off',
    onchange: (e: Event) => on.filters({ offer: (e.target as HTMLInputElement).value.trim() }),
  });
  return h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': s('filters'),
      onsubmit: (e: Event) => e.preventDefault(),
    },
    h('div', { class: 'field search' }, h('label', { for: 'filter-q' }, s('search')), search),
    // At phone width the other filters fold away behind this button (CSS shows it there only).
    h(
      'button',
      {
        type: 'button',
        class: 'filters-toggle',
        'aria-expanded': 'false',
        'aria-controls': 'filter-fields',
        onclick: (e: Event) => {
          const button = e.currentTarget as HTMLElement;
          const expanded = button.getAttribute('aria-expanded') !== 'true';
          button.setAttribute('aria-expanded', String(expanded));
          button.closest('form')?.classList.toggle('expanded', expanded);
        },
      },
      s('filters'),
    ),
    h('div', { id: 'filter-fields', class: 'filter-fields' }, ...fields(s, select, offer)),
  );
}

type Select = (key: keyof Filters, label: string, options: Array<[string, string]>) => HTMLElement;

function fields(s: Strings, select: Select, offer: HTMLElement): HTMLElement[] {
  return [
    select('owner', s('owner'), [
      ['', s('ownerAny')],
      ['me', s('ownerMe')],
      ['nobody', s('ownerNobody')],
      ['someone', s('ownerSomeone')],
    ]),
    select('status', s('status'), [
      ['', s('statusAny')],
      ...STATUSES.map((v): [string, string] => [v, statusText(s, v)]),
    ]),
    select('priority', s.card('priority.column'), [
      ['', s.card('priority.any')],
      ...PRIORITIES.map((v): [string, string] => [v, priorityText(s, v)]),
    ]),
    select('sort', s('sort'), [
      ['', s('sortNewest')],
      ['priority', s('sortPriority')],
    ]),
    select('storefront', s('storefront'), [
      ['', s('any')],
      ...STOREFRONTS.map((v): [string, string] => [v, storefrontText(s, v)]),
    ]),
    select('action', s('action'), [
      ['', s('any')],
      ...ACTIONS.map((v): [string, string] => [v, actionText(s, v)]),
    ]),
    h('div', { class: 'field' }, h('label', { for: 'filter-offer' }, s('offer')), offer),
    select('period', s('period'), [
      ['', s('periodAll')],
      ['today', s('periodToday')],
      ['week', s('periodWeek')],
      ['month', s('periodMonth')],
      ['90d', s('period90')],
    ]),
  ];
}
