import type { MessageKey, Translator } from '../../i18n/translator.js';
import { CURRENCIES } from '../../leads/action-inputs.js';
import type { Lead, Person } from '../../leads/lead.js';
import {
  type Actor,
  availableVerbs,
  checkPermission,
  DISQUALIFY_REASONS,
  type Verb,
} from '../../leads/lifecycle.js';
import { type AdaptiveCard, adaptiveCard, type CardAction, type CardElement } from './adaptive-card.js';
import { plainText } from './text.js';

export { CURRENCIES };

/** The buttons a lead's card offers now: one-click actions, and forms (Action.ShowCard) for those that need input. */
export function renderLeadActions(lead: Lead, t: Translator, roster: Person[], viewer?: Actor): CardAction[] {
  if (lead.isTest) return [];
  const data = { leadId: lead.id, version: lead.version };
  const execute = (
    verb: Verb | 'refresh',
    title: MessageKey,
    style?: 'positive' | 'destructive',
  ): CardAction => ({
    type: 'Action.Execute',
    title: t(title),
    verb: `lead.${verb}`,
    data,
    ...(style ? { style } : {}),
  });
  const form = (verb: Verb, title: MessageKey, inputs: CardElement[]): CardAction => ({
    type: 'Action.ShowCard',
    title: t(title),
    card: {
      ...adaptiveCard(inputs, [execute(verb, 'card.save', 'positive')]),
      msteams: undefined,
    } as AdaptiveCard,
  });
  const builders: Record<Verb, () => CardAction | undefined> = {
    claim: () => execute('claim', 'card.claim', 'positive'),
    qualify: () => execute('qualify', 'card.qualify', lead.status === 'assigned' ? 'positive' : undefined),
    won: () => execute('won', 'card.won', 'positive'),
    lost: () => execute('lost', 'card.lost'),
    reopen: () => execute('reopen', 'card.reopen'),
    assign: () =>
      roster.length > 0 ? form('assign', 'card.assign', [assigneeInput(t, roster, lead.owner)]) : undefined,
    opportunity: () => form('opportunity', 'card.opportunity', opportunityInputs(t, lead)),
    disqualify: () => form('disqualify', 'card.disqualify', disqualifyInputs(t)),
    note: () => form('note', 'card.addNote', [textInput('note', t('card.noteText'), true, 2000)]),
    // In the body, beside what they change (lead-crm-section.ts), not in this row.
    crm: () => undefined,
    campaign: () => undefined,
  };
  const actions = availableVerbs(lead)
    .filter((verb) => !viewer || mayAct(lead, viewer, verb))
    .map((verb) => builders[verb]())
    .filter((a): a is CardAction => a !== undefined);
  return [...actions, execute('refresh', 'card.refresh')];
}

function mayAct(lead: Lead, viewer: Actor, verb: Verb): boolean {
  try {
    checkPermission(lead, viewer, verb);
    return true;
  } catch {
    return false;
  }
}

function assigneeInput(t: Translator, roster: Person[], owner: Person | undefined): CardElement {
  return {
    type: 'Input.ChoiceSet',
    id: 'assignee',
    label: t('card.assignTo'),
    isRequired: true,
    errorMessage: t('input.assignee'),
    style: 'filtered',
    choices: roster
      .filter((member) => member.aadObjectId !== owner?.aadObjectId)
      .map((member) => ({ title: plainText(member.name, 80), value: member.aadObjectId })),
  };
}

function disqualifyInputs(t: Translator): CardElement[] {
  return [
    {
      type: 'Input.ChoiceSet',
      id: 'reason',
      label: t('card.reason'),
      isRequired: true,
      errorMessage: t('input.reason'),
      choices: DISQUALIFY_REASONS.map((reason) => ({ title: t(`reason.${reason}`), value: reason })),
    },
    textInput('details', t('card.details'), false, 500),
  ];
}

function opportunityInputs(t: Translator, lead: Lead): CardElement[] {
  return [
    {
      type: 'Input.Number',
      id: 'value',
      label: t('card.value'),
      min: 1,
      isRequired: true,
      errorMessage: t('input.value'),
      ...(lead.opportunity ? { value: lead.opportunity.value } : {}),
    },
    {
      type: 'Input.ChoiceSet',
      id: 'currency',
      label: t('card.currency'),
      value: lead.opportunity?.currency ?? (t.locale === 'pt-PT' ? 'EUR' : 'USD'),
      choices: CURRENCIES.map((c) => ({ title: c, value: c })),
    },
    { type: 'Input.Date', id: 'expectedClose', label: t('card.expectedClose') },
    textInput('note', t('card.noteText'), false, 2000),
  ];
}

function textInput(id: string, label: string, isRequired: boolean, maxLength: number): CardElement {
  return { type: 'Input.Text', id, label, isMultiline: true, maxLength, isRequired };
}
