// A lead in full, in a dialog: what the card shows, the whole history with every note, and what
// this person may do now.
import type { HistoryEntry } from '../leads/lead.js';
import { DISQUALIFY_REASONS } from '../leads/lifecycle.js';
import { renderActions, type Submit } from './action-forms.js';
import type { LeadDetails, TabLead } from './api.js';
import { copyLinkButton } from './copy-link.js';
import { h } from './dom.js';
import { dateTime, headline, money, nameOf, priorityOfLead, statusText } from './labels.js';
import { valueText } from './rotation.js';
import type { Strings } from './strings.js';

export interface Notice {
  kind: 'ok' | 'warning' | 'error';
  text: string;
}

export function renderDetails(
  s: Strings,
  details: LeadDetails,
  notice: Notice | undefined,
  submit: Submit,
  close: () => void,
): HTMLElement[] {
  const { lead } = details;
  return [
    h(
      'header',
      { class: 'details-head' },
      h(
        'div',
        {},
        h('h2', { id: 'details-title' }, nameOf(s, lead)),
        h('p', { class: 'muted' }, `${headline(s, lead)} · ${lead.id}`),
        copyLinkButton(s, lead.id),
      ),
      h(
        'span',
        { class: `pill status-${lead.status}`, 'data-status': lead.status ?? '' },
        statusText(s, lead.status),
      ),
      h(
        'fluent-button',
        { appearance: 'subtle', 'icon-only': true, class: 'close', onclick: close, 'aria-label': s('close') },
        '✕',
      ),
    ),
    notice
      ? h(
          'p',
          { class: `notice ${notice.kind}`, role: notice.kind === 'ok' ? 'status' : 'alert', tabindex: -1 },
          notice.text,
        )
      : h('p', { class: 'notice-slot', role: 'status' }),
    ...banners(s, lead),
    facts(s, lead),
    h(
      'section',
      { 'aria-labelledby': 'details-actions' },
      h('h3', { id: 'details-actions' }, s('actions')),
      renderActions(s, details.actions, submit),
    ),
    h(
      'section',
      { 'aria-labelledby': 'details-history' },
      h('h3', { id: 'details-history' }, s('history')),
      history(s, details.history),
    ),
  ];
}

function banners(s: Strings, lead: TabLead): HTMLElement[] {
  const list: HTMLElement[] = [];
  if (lead.isTest) list.push(h('p', { class: 'banner warning' }, s.card('card.testLead')));
  if (lead.doNotContact) list.push(h('p', { class: 'banner attention' }, s.card('card.doNotContact')));
  if (lead.erased) {
    const reason = s.card(lead.erased.reason === 'retention' ? 'card.erasedRetention' : 'card.erasedRequest');
    list.push(
      h(
        'p',
        { class: 'banner warning' },
        s.card('card.erased', { date: dateTime(s, lead.erased.at), reason }),
      ),
    );
  }
  return list;
}

function facts(s: Strings, lead: TabLead): HTMLElement {
  const c = lead.customer;
  const rows: Array<[string, Node | string]> = [];
  const add = (label: string, value: Node | string | undefined) => {
    if (value && (typeof value !== 'string' || value.trim())) rows.push([label, value]);
  };
  const priority = priorityOfLead(s, lead);
  add(s.card('priority.column'), priority && `${priority.label} · ${priority.why}`);
  add(s.card('card.jobTitle'), c?.title);
  add(s.card('card.company'), c?.company);
  add(
    s.card('card.email'),
    c?.email && (lead.doNotContact ? c.email : h('a', { href: `mailto:${c.email}` }, c.email)),
  );
  add(
    s.card('card.phone'),
    c?.phone &&
      (lead.doNotContact ? c.phone : h('a', { href: `tel:${c.phone.replace(/[^\d+]/g, '')}` }, c.phone)),
  );
  add(s.card('card.country'), countryText(s, lead, c?.country));
  if ((lead as { contactHidden?: boolean }).contactHidden)
    add(s.card('card.email'), s.card('card.contactHidden'));
  add(s.card('card.offer'), lead.offerTitle);
  add(s('ownerColumn'), lead.owner?.name ?? s.card('card.unassigned'));
  if (lead.opportunity) {
    const o = lead.opportunity;
    const close = o.expectedClose
      ? ` · ${s.card('card.expectedCloseLine', { date: s.card.formatDate(o.expectedClose) })}`
      : '';
    add(s.card('card.opportunity').replace('…', ''), money(s, o.value, o.currency) + close);
    add(s.card('card.noteText'), o.notes);
  }
  if (lead.disqualifyReason) add(s.card('card.reason'), s.card(`reason.${lead.disqualifyReason}` as never));
  add(s('received'), dateTime(s, lead.receivedAt));
  for (const repeat of lead.repeats ?? []) add(s('repeatSeen'), dateTime(s, repeat.receivedAt));
  const description = lead.description?.trim() ?? '';
  const showNote = description !== '' && !/^campaigns:\s*$/i.test(description);
  return h(
    'div',
    { class: 'facts' },
    h('dl', {}, ...rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])),
    showNote && h('h3', {}, s.card('card.note')),
    showNote && h('blockquote', { class: 'customer-note' }, description),
  );
}

function history(s: Strings, entries: HistoryEntry[]): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'muted' }, s('noHistory'));
  return h(
    'ol',
    { class: 'history' },
    ...entries.map((entry) => {
      const change =
        entry.from && entry.to && entry.from !== entry.to
          ? `${statusText(s, entry.from)} → ${statusText(s, entry.to)}`
          : '';
      const what = [actionWord(s, entry.action), change, entry.auto && autoText(s, entry.auto)]
        .filter(Boolean)
        .join(' · ');
      const who = entry.by?.aadObjectId === 'system' ? s('system') : (entry.by?.name ?? '');
      return h(
        'li',
        { 'data-action': entry.action },
        h('time', { datetime: entry.at }, dateTime(s, entry.at)),
        h('span', { class: 'what' }, s('historyLine', { who, what })),
        entry.note && h('blockquote', {}, noteText(s, entry)),
      );
    }),
  );
}

/** How Lead Assistant chose, as the card says it: "round robin" / "rule: country Portugal". */
function autoText(s: Strings, auto: NonNullable<HistoryEntry['auto']>): string {
  if (auto.by === 'rotation') return s.card('auto.how.rotation');
  return s.card('auto.how.rule', {
    field: s.card(`auto.field.${auto.field}`),
    value: valueText(s, auto.field, auto.value),
  });
}

const VERB_WORD: Record<string, Parameters<Strings['card']>[0]> = {
  claim: 'history.claimed',
  assign: 'status.assigned',
  qualify: 'status.qualified',
  opportunity: 'status.opportunity',
  won: 'status.won',
  lost: 'status.lost',
  disqualify: 'status.disqualified',
  reopen: 'card.reopen',
  note: 'card.noteText',
};

function actionWord(s: Strings, action: string): string {
  if (action === 'received') return s('received');
  const key = VERB_WORD[action.replace(/^lead\./, '')];
  return key ? s.card(key) : action;
}

/** A disqualification's note is stored as "reason: details"; it reads with the reason's words. */
function noteText(s: Strings, entry: HistoryEntry): string {
  const note = entry.note ?? '';
  if (entry.action !== 'disqualify') return note;
  const reason = DISQUALIFY_REASONS.find((r) => note === r || note.startsWith(`${r}: `));
  return reason ? `${s.card(`reason.${reason}`)}${note.slice(reason.length)}` : note;
}

/** The country by name in the reader's language when the server understood it ("USA" → "Estados Unidos"). */
function countryText(s: Strings, lead: TabLead, sent: string | undefined): string | undefined {
  const code = (lead as { countryCode?: string }).countryCode;
  if (!code || !/^[A-Z]{2}$/.test(code)) return sent;
  try {
    return new Intl.DisplayNames([s.intl], { type: 'region' }).of(code) ?? sent;
  } catch {
    return sent;
  }
}
