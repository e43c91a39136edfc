import type { MessageKey } from '../../i18n/translator.js';
import type { Lead } from '../../leads/lead.js';
import { actionLabelKey } from '../../leads/marketplace-payload.js';
import { type CardElement, textBlock } from './adaptive-card.js';
import { latest, type StatusView, statusLines, whenText } from './lead-status.js';
import { literalText } from './text.js';

// What people typed on the card: shown in full up to here (the stored lead keeps every character).
const NOTE = 1000;

/**
 * Under the customer: who has the lead (or moved it last) and when, then what the team asks about
 * next: the opportunity and its notes, why it was disqualified, repeat visits, the latest note.
 */
export function renderLeadFooter(lead: Lead, view: StatusView): CardElement {
  const { t } = view;
  const received = `${t('card.received', { time: t.formatDateTime(lead.receivedAt, view.timeZone) })} · ${lead.id}`;
  const [first, ...more] = statusLines(lead, view);
  return {
    type: 'Container',
    spacing: 'Medium',
    separator: true,
    items: [
      // Owner lines carry Teams display names: literal.
      ...(first ? [literalText(first, 200, lead.owner ? { weight: 'Bolder' } : { isSubtle: true })] : []),
      ...more.map((line) => ({ ...literalText(line, 200), spacing: 'None' })),
      ...opportunityLines(lead, view),
      ...disqualifiedLines(lead, view),
      ...repeatLines(lead, view),
      ...latestNote(lead, view),
      { ...textBlock(received, { isSubtle: true, size: 'Small' }), spacing: first ? 'Small' : 'None' },
    ],
  };
}

/** A note someone typed, under a heading that says who and when. */
function typedNote(heading: string, note: string): CardElement[] {
  return [
    { ...literalText(heading, 200, { isSubtle: true, size: 'Small' }), spacing: 'Small' },
    { ...literalText(note, NOTE), spacing: 'None' },
  ];
}

function opportunityLines(lead: Lead, view: StatusView): CardElement[] {
  const { t } = view;
  const o = lead.opportunity;
  if (!o || !['opportunity', 'won', 'lost'].includes(lead.status)) return [];
  const value = t('card.opportunityLine', { value: t.formatCurrency(o.value, o.currency) });
  const close = o.expectedClose
    ? ` · ${t('card.expectedCloseLine', { date: t.formatDate(o.expectedClose) })}`
    : '';
  const lines = [textBlock(value + close, { spacing: 'Small' })];
  const entry = latest(lead, ['opportunity']);
  if (o.notes && entry) {
    const heading = t('card.opportunityNotes', { name: entry.by.name, time: whenText(entry.at, view) });
    lines.push(...typedNote(heading, o.notes));
  }
  return lines;
}

/** The reason, who gave it and when, and the details typed with it (stored as "reason: details"). */
function disqualifiedLines(lead: Lead, view: StatusView): CardElement[] {
  const { t } = view;
  const reason = lead.disqualifyReason;
  if (lead.status !== 'disqualified' || !reason) return [];
  const entry = latest(lead, ['disqualify']);
  const label = t('card.disqualifiedLine', { reason: t(`reason.${reason}` as MessageKey) });
  const line = entry ? `${label} · ${entry.by.name} · ${whenText(entry.at, view)}` : label;
  const note = entry?.note ?? '';
  const details = note.startsWith(`${reason}: `) ? note.slice(reason.length + 2).trim() : '';
  return [
    { ...literalText(line, 200, { weight: 'Bolder', color: 'Attention' }), spacing: 'Small' },
    ...(details ? [{ ...literalText(details, NOTE), spacing: 'None' }] : []),
  ];
}

function repeatLines(lead: Lead, view: StatusView): CardElement[] {
  const { t } = view;
  return (lead.repeats ?? []).slice(-3).map((repeat) =>
    textBlock(
      t('card.seenAgain', {
        action: t(actionLabelKey(repeat.source.action)),
        time: t.formatDateTime(repeat.receivedAt, view.timeZone),
      }),
      { spacing: 'Small', color: 'Accent' },
    ),
  );
}

function latestNote(lead: Lead, view: StatusView): CardElement[] {
  const note = latest(lead, ['note']);
  if (!note?.note) return [];
  const heading = view.t('card.lastNote', { name: note.by.name, time: whenText(note.at, view) });
  return typedNote(heading, note.note);
}
