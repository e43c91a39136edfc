// The actions offered on a lead. The server lists each with the card's title and the card's
// inputs (ids, choices, limits); the tab draws them, so a tab action reads exactly as a card click.
import type { ActionInput, ActionOffer } from './api.js';
import { h } from './dom.js';
import type { Strings } from './strings.js';

export type Submit = (verb: string, inputs: Record<string, unknown>) => Promise<void>;

export function renderActions(s: Strings, offers: ActionOffer[], submit: Submit): HTMLElement {
  // Every verb the server offers is drawn (the one table, leads/verbs.ts), with the server's title.
  if (offers.length === 0) return h('p', { class: 'muted' }, s('noActions'));
  const formSlot = h('div', { class: 'action-form' });
  const buttonRow = h('div', { class: 'action-buttons' });
  for (const offer of offers) {
    const title = offer.title;
    const direct = offer.inputs.length === 0;
    const button = h(
      'fluent-button',
      {
        appearance: offer.verb === 'lead.claim' ? 'primary' : undefined,
        'data-verb': offer.verb,
        onclick: () => {
          if (direct) return void submit(offer.verb, {});
          // The form opens below, as the card's ShowCard does; focus moves into it.
          formSlot.replaceChildren(actionForm(s, offer, title, submit));
          formSlot.querySelector<HTMLElement>('select, input, textarea')?.focus();
        },
      },
      title,
    );
    buttonRow.append(button);
  }
  return h('div', {}, buttonRow, formSlot);
}

function control(input: ActionInput): HTMLElement {
  const id = `act-${input.name}`;
  const common = { id, name: input.name, required: input.required };
  if (input.type === 'choice') {
    const selected = input.value === undefined ? '' : String(input.value);
    return h(
      'select',
      common,
      ...(selected ? [] : [h('option', { value: '' }, '')]),
      ...(input.choices ?? []).map((c) =>
        h('option', { value: c.value, selected: c.value === selected }, c.title),
      ),
    );
  }
  if (input.type === 'text') {
    const area = h('textarea', { ...common, rows: 3, maxlength: input.maxLength });
    if (input.value !== undefined) area.value = String(input.value);
    return area;
  }
  if (input.type === 'number') {
    const el = h('input', { ...common, type: 'number', step: 'any', min: input.min, max: input.max });
    if (input.value !== undefined) el.value = String(input.value);
    return el;
  }
  return h('input', { ...common, type: 'date' });
}

function actionForm(s: Strings, offer: ActionOffer, title: string, submit: Submit): HTMLElement {
  const fields = offer.inputs.map((input) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `act-${input.name}` }, input.label || input.name),
      control(input),
    ),
  );
  const form = h(
    'form',
    {
      class: 'form',
      'data-form': offer.verb,
      'aria-label': title.replace('…', ''),
      onsubmit: (e: Event) => {
        e.preventDefault();
        const inputs: Record<string, unknown> = {};
        for (const input of offer.inputs) {
          const value = String(new FormData(form).get(input.name) ?? '').trim();
          if (value === '') continue;
          inputs[input.name] = input.type === 'number' ? Number(value) : value;
        }
        void submit(offer.verb, inputs);
      },
    },
    ...fields,
    h(
      'div',
      { class: 'action-buttons' },
      h('button', { type: 'submit', class: 'primary' }, s.card('card.save')),
    ),
  );
  return form;
}
