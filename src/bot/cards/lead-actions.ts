import type { MessageKey, Translator } from '../../i18n/translator.js';
import { CURRENCIES } from '../../leads/action-inputs.js';
import type { Lead, Person } from '../../leads/lead.js';
import type { Actor } from '../../leads/lifecycle.js';
import { type VerbField, type VerbOffer, verbOffers } from '../../leads/verbs.js';
import { type AdaptiveCard, adaptiveCard, type CardAction, type CardElement } from './adaptive-card.js';
import { plainText } from './text.js';

export { CURRENCIES };

/** The buttons a lead's card offers now: one-click actions, and forms (Action.ShowCard) for those that need input. */
export function renderLeadActions(lead: Lead, t: Translator, roster: Person[], viewer?: Actor): CardAction[] {
  if (lead.isTest) return [];
  const data = { leadId: lead.id, version: lead.version };
  const offers = verbOffers(lead, viewer, roster, t.locale).filter((offer) => offer.spec.place === 'actions');
  const actions = offers.map((offer) => verbAction(offer, data, t, lead.status === 'assigned'));
  return [...actions, { type: 'Action.Execute', title: t('card.refresh'), verb: 'lead.refresh', data }];
}

/**
 * One verb of the table as the card shows it: a button, or a form that opens below it. Qualify is
 * the next step of an assigned lead, so it is the emphasised button then.
 */
export function verbAction(
  offer: VerbOffer,
  data: Record<string, unknown>,
  t: Translator,
  assigned = false,
): CardAction {
  const verb = `lead.${offer.verb}`;
  const style = offer.spec.style ?? (offer.verb === 'qualify' && assigned ? 'positive' : undefined);
  const title = t(offer.spec.title as MessageKey);
  if (offer.fields.length === 0)
    return { type: 'Action.Execute', title, verb, data, ...(style ? { style } : {}) };
  const save: CardAction = { type: 'Action.Execute', title: t('card.save'), verb, data, style: 'positive' };
  return {
    type: 'Action.ShowCard',
    title,
    card: {
      ...adaptiveCard(
        offer.fields.map((f) => cardInput(f, t)),
        [save],
      ),
      msteams: undefined,
    } as AdaptiveCard,
  };
}

/** A field of the table as an Adaptive Card input, labelled in the reader's language. */
function cardInput(field: VerbField, t: Translator): CardElement {
  const common = {
    id: field.name,
    label: t(field.label as MessageKey),
    ...(field.required ? { isRequired: true } : {}),
    ...(field.error ? { errorMessage: t(field.error as MessageKey) } : {}),
  };
  switch (field.type) {
    case 'choice':
      return {
        type: 'Input.ChoiceSet',
        ...common,
        ...(field.filtered ? { style: 'filtered' } : {}),
        ...(field.value ? { value: field.value } : {}),
        choices: field.choices.map((c) => ({
          title: 'titleKey' in c ? t(c.titleKey as MessageKey) : plainText(c.title, 80),
          value: c.value,
        })),
      };
    case 'text':
      return {
        type: 'Input.Text',
        ...common,
        maxLength: field.maxLength,
        ...(field.multiline ? { isMultiline: true } : {}),
        ...(field.value ? { value: field.value } : {}),
      };
    case 'number':
      return {
        type: 'Input.Number',
        ...common,
        min: field.min,
        ...(field.value !== undefined ? { value: field.value } : {}),
      };
    case 'date':
      return { type: 'Input.Date', ...common };
  }
}
