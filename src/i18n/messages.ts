import type { AutoAssignMiss, AutoHow, RuleField } from '../leads/auto-assign-data.js';
import { countryName } from '../leads/countries.js';
import type { Lead } from '../leads/lead.js';
import type { RefusalCode } from '../leads/lifecycle.js';
import { storefrontLabelKey } from '../leads/marketplace-payload.js';
import type { PriorityLevel } from '../leads/priority-levels.js';
import { priorityLabel } from './priority-words.js';
import type { MessageKey, Translator } from './translator.js';

/** A line a card carries for everyone, in each reader's language (e.g. "could not message …"). */
export type CardNotice = (t: Translator) => string;

/** What a change notice needs of the view it goes into. */
export interface NoticeView {
  t: Translator;
  timeZone: string;
}

const refusalKeys: Record<RefusalCode, MessageKey> = {
  guest: 'refusal.guest',
  do_not_contact: 'refusal.doNotContact',
  test_lead: 'refusal.testLead',
  not_claimable: 'refusal.notClaimable',
  not_owner: 'refusal.notOwner',
  not_manager: 'refusal.managersOnly',
  wrong_status: 'refusal.wrongStatus',
};

export function refusalMessage(refusal: RefusalCode, lead: Lead, t: Translator): string {
  return t(refusalKeys[refusal], {
    name: lead.owner?.name ?? '',
    status: t(`status.${lead.status}`).toLowerCase(),
  });
}

/** "Megan Bowen claimed this at 10:42": who made the change the clicker did not see. */
export function changeNotice(lead: Lead, view: NoticeView): string {
  const last = [...lead.history].reverse().find((entry) => entry.by.aadObjectId !== 'system');
  if (!last) return view.t('notice.changed');
  return view.t('notice.changedBy', {
    name: last.by.name,
    time: view.t.formatTime(last.at, view.timeZone),
    status: view.t(`status.${lead.status}`),
  });
}

/** The cards' line, for everyone, when the new owner could not be told in a personal chat. */
export function ownerNotToldNotice(lead: Lead): CardNotice {
  return (t) => t('notice.dmFailed', { name: lead.owner?.name ?? '' });
}

/** A rule's value as the reader says it: a country by name, a storefront's label, a priority's word. */
export function ruleValueText(field: RuleField, value: string, t: Translator): string {
  switch (field) {
    case 'country':
      return countryName(value, t.intl);
    case 'storefront':
      return t(storefrontLabelKey(value as Lead['source']['storefront']));
    case 'priority':
      return priorityLabel(value as PriorityLevel, t);
    case 'offer':
      return value;
  }
}

/** "round robin" / "rule: country Portugal". */
export function autoHowText(how: AutoHow, t: Translator): string {
  if (how.by === 'rotation') return t('auto.how.rotation');
  return t('auto.how.rule', {
    field: t(`auto.field.${how.field}`),
    value: ruleValueText(how.field, how.value, t),
  });
}

/** Why nobody was given the lead automatically, as its card says it. */
export function autoMissText(miss: AutoAssignMiss, t: Translator): string {
  const why = t(`auto.why.${miss.why}`);
  if (!miss.rule) return t('card.autoMiss', { why });
  const rule = `${t(`auto.field.${miss.rule.field}`)} ${ruleValueText(miss.rule.field, miss.rule.value, t)}`;
  return t('card.autoMissRule', { rule, why });
}
