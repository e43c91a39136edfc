// The pipeline as a board (a column per status) and as a list, with totals on top.
import type { LeadStatus } from '../leads/lead.js';
import type { LeadPage, TabLead } from './api.js';
import { h } from './dom.js';
import {
  dateTime,
  headline,
  money,
  nameOf,
  priorityOfLead,
  STATUSES,
  shortDate,
  statusText,
} from './labels.js';
import type { Strings } from './strings.js';

export interface BoardHandlers {
  open(id: string): void;
  more(): void;
}

export function renderTotals(s: Strings, page: LeadPage): HTMLElement {
  const values = Object.entries(page.pipeline)
    .filter(([, value]) => value > 0)
    .map(([currency, value]) => money(s, value, currency));
  return h(
    'p',
    { class: 'totals' },
    h('strong', {}, page.total === 1 ? s('leadsCountOne') : s('leadsCount', { count: page.total })),
    ' · ',
    `${s('pipeline')}: `,
    h('strong', { class: 'pipeline' }, values.length ? values.join(' · ') : s('noPipeline')),
  );
}

function leadButton(s: Strings, lead: TabLead, on: BoardHandlers): HTMLElement {
  const company = lead.customer?.company ?? '';
  const value = lead.opportunity ? money(s, lead.opportunity.value, lead.opportunity.currency) : '';
  return h(
    'button',
    {
      type: 'button',
      class: 'lead',
      'data-lead-id': lead.id,
      'data-focus-key': `lead:${lead.id}`,
      onclick: () => on.open(lead.id),
    },
    h('span', { class: 'lead-name' }, nameOf(s, lead)),
    company && h('span', { class: 'lead-company' }, company),
    h('span', { class: 'lead-headline' }, headline(s, lead)),
    priorityPill(s, lead),
    h(
      'span',
      { class: 'lead-meta' },
      h('span', {}, shortDate(s, lead.receivedAt)),
      h('span', {}, lead.owner?.name ?? s('nobody')),
      value && h('span', { class: 'lead-value' }, value),
    ),
  );
}

/** "High", with its reasons as the tooltip: on the board and in the list. */
function priorityPill(s: Strings, lead: TabLead): HTMLElement | undefined {
  const priority = priorityOfLead(s, lead);
  if (!priority) return undefined;
  return h(
    'span',
    {
      class: `pill priority priority-${priority.level}`,
      title: priority.why,
      'data-priority': priority.level,
    },
    priority.label,
  );
}

export function renderBoard(s: Strings, page: LeadPage, on: BoardHandlers): HTMLElement {
  const byStatus = new Map<LeadStatus, TabLead[]>(STATUSES.map((status) => [status, []]));
  for (const lead of page.leads) byStatus.get(lead.status ?? 'new')?.push(lead);
  const columns = STATUSES.map((status) => {
    const leads = byStatus.get(status) ?? [];
    const count = page.counts[status] ?? leads.length;
    const headingId = `col-${status}`;
    return h(
      'section',
      { class: `column status-${status}`, 'aria-labelledby': headingId },
      h(
        'h2',
        { id: headingId },
        h('span', {}, statusText(s, status)),
        h('span', { class: 'count', 'data-count': status }, String(count)),
      ),
      leads.length
        ? h('ul', {}, ...leads.map((lead) => h('li', {}, leadButton(s, lead, on))))
        : h('p', { class: 'column-empty' }, s('columnEmpty')),
    );
  });
  return h('div', { class: 'board-wrap' }, h('div', { class: 'board' }, ...columns), more(s, page, on));
}

export function renderList(s: Strings, page: LeadPage, on: BoardHandlers): HTMLElement {
  if (page.leads.length === 0) return h('p', { class: 'empty' }, s('empty'));
  const head = [
    s('received'),
    s('customer'),
    s('company'),
    s('offer'),
    s.card('priority.column'),
    s('status'),
    s('ownerColumn'),
  ];
  const rows = page.leads.map((lead) =>
    h(
      'tr',
      {},
      h('td', {}, dateTime(s, lead.receivedAt)),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            'data-lead-id': lead.id,
            'data-focus-key': `row:${lead.id}`,
            onclick: () => on.open(lead.id),
          },
          nameOf(s, lead),
        ),
      ),
      h('td', {}, lead.customer?.company ?? ''),
      h(
        'td',
        {},
        h('span', { class: 'offer' }, lead.offerTitle ?? ''),
        h('span', { class: 'sub' }, headline(s, lead)),
      ),
      h(
        'td',
        { class: 'priority-cell' },
        priorityPill(s, lead),
        h('span', { class: 'sub' }, priorityOfLead(s, lead)?.why ?? ''),
      ),
      h('td', {}, h('span', { class: `pill status-${lead.status}` }, statusText(s, lead.status))),
      h('td', {}, lead.owner?.name ?? s('nobody')),
    ),
  );
  return h(
    'div',
    { class: 'list-wrap' },
    h(
      'table',
      { class: 'list' },
      h('thead', {}, h('tr', {}, ...head.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, ...rows),
    ),
    more(s, page, on),
  );
}

function more(s: Strings, page: LeadPage, on: BoardHandlers): HTMLElement | undefined {
  if (!page.nextCursor && page.leads.length >= page.total) return undefined;
  return h(
    'p',
    { class: 'more' },
    s('showing', { shown: page.leads.length, count: page.total }),
    ' ',
    page.nextCursor &&
      h(
        'fluent-button',
        { appearance: 'subtle', 'data-focus-key': 'more', onclick: () => on.more() },
        s('loadMore'),
      ),
  );
}
