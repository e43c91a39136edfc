// A lead as the tab's JSON shows it: a row for the board and list, the details with the whole
// history, and the actions this person may take now with the inputs each needs (the card's).
import type { MessageKey, Translator } from '../../i18n/translator.js';
import { hidesContact } from '../../leads/access.js';
import { countryCode } from '../../leads/countries.js';
import { customerName, type Lead, type Person } from '../../leads/lead.js';
import type { Verb } from '../../leads/lifecycle.js';
import { type Priority, priorityOf } from '../../leads/priority.js';
import { type VerbField, verbOffers } from '../../leads/verbs.js';
import type { Viewer } from './viewer.js';

export interface LeadRow {
  id: string;
  receivedAt: string;
  /** When anything a person sees last changed (arrival or the latest history entry). */
  changedAt: string;
  status: Lead['status'];
  storefront: string;
  action: string;
  offerId?: string;
  offerTitle: string;
  name: string;
  company: string;
  country: string;
  /** ISO 3166-1 alpha-2, when the country was understood: the tab names it in the reader's language. */
  countryCode?: string;
  owner?: Person;
  opportunity?: Lead['opportunity'];
  doNotContact: boolean;
  isTest: boolean;
  /** High, Medium, Low (FYI for do-not-contact) and why: the tab says it in the reader's words. */
  priority: Priority;
  /** The teams the lead was posted to. */
  teamIds: string[];
  version: number;
}

export function changedAt(lead: Lead): string {
  const last = lead.history.at(-1)?.at;
  return last && last > lead.receivedAt ? last : lead.receivedAt;
}

export function leadRow(lead: Lead): LeadRow {
  const c = lead.customer;
  return {
    id: lead.id,
    receivedAt: lead.receivedAt,
    changedAt: changedAt(lead),
    status: lead.status,
    storefront: lead.source.storefront,
    action: lead.source.action,
    ...(lead.source.offerId ? { offerId: lead.source.offerId } : {}),
    offerTitle: lead.offerTitle,
    name: customerName(c),
    company: c.company,
    country: c.country,
    ...(countryCode(c.country) ? { countryCode: countryCode(c.country) } : {}),
    ...(lead.owner ? { owner: lead.owner } : {}),
    ...(lead.opportunity ? { opportunity: lead.opportunity } : {}),
    doNotContact: lead.doNotContact,
    isTest: lead.isTest,
    priority: priorityOf(lead),
    teamIds: [...new Set(lead.deliveries.map((d) => d.teamId))],
    version: lead.version,
  };
}

export type ActionInput =
  | {
      name: string;
      type: 'choice';
      label: string;
      required: boolean;
      choices: Array<{ value: string; title: string }>;
      value?: string;
    }
  | { name: string; type: 'text'; label: string; required: boolean; maxLength: number; value?: string }
  | {
      name: string;
      type: 'number';
      label: string;
      required: boolean;
      min: number;
      max: number;
      value?: number;
    }
  | { name: string; type: 'date'; label: string; required: boolean };

export interface ActionOffer {
  verb: `lead.${Verb}`;
  title: string;
  inputs: ActionInput[];
}

/**
 * What this person may do now, from the one verb table (leads/verbs.ts): the verbs the lifecycle
 * allows in the lead's status, less those the access rules refuse them, with the card's inputs.
 */
export function actionOffers(lead: Lead, viewer: Viewer, roster: Person[], t: Translator): ActionOffer[] {
  const say = (key: string) => t(key as MessageKey);
  return verbOffers(lead, viewer.actor, roster, t.locale).map(({ verb, spec, fields }) => ({
    verb: `lead.${verb}`,
    title: say(spec.title),
    inputs: fields.map((field) => tabInput(field, say)),
  }));
}

/** A field of the verb table as the tab's JSON describes it, labelled in the reader's language. */
function tabInput(field: VerbField, say: (key: string) => string): ActionInput {
  const common = { name: field.name, label: say(field.label), required: field.required };
  switch (field.type) {
    case 'choice':
      return {
        ...common,
        type: 'choice',
        choices: field.choices.map((c) => ({
          value: c.value,
          title: 'titleKey' in c ? say(c.titleKey) : c.title,
        })),
        ...(field.value ? { value: field.value } : {}),
      };
    case 'text':
      return {
        ...common,
        type: 'text',
        maxLength: field.maxLength,
        ...(field.value ? { value: field.value } : {}),
      };
    case 'number':
      return {
        ...common,
        type: 'number',
        min: field.min,
        max: field.max,
        ...(field.value !== undefined ? { value: field.value } : {}),
      };
    case 'date':
      return { ...common, type: 'date' };
  }
}

export interface LeadDetails extends LeadRow {
  customer: Lead['customer'];
  /** CONTACT_VISIBILITY=owner hid the e-mail and phone from this person. */
  contactHidden: boolean;
  description: string;
  disqualifyReason?: string;
  history: Lead['history'];
  repeats: Array<{ receivedAt: string; storefront: string; action: string }>;
  erased?: Lead['erased'];
  actions: ActionOffer[];
}

export function leadDetails(
  lead: Lead,
  viewer: Viewer,
  roster: Person[],
  t: Translator,
  visibility: 'team' | 'owner',
): LeadDetails {
  const contactHidden = hidesContact(lead, viewer.actor, visibility);
  return {
    ...leadRow(lead),
    customer: contactHidden ? { ...lead.customer, email: '', phone: '' } : lead.customer,
    contactHidden,
    description: lead.description,
    ...(lead.disqualifyReason ? { disqualifyReason: lead.disqualifyReason } : {}),
    history: lead.history,
    repeats: (lead.repeats ?? []).map((r) => ({
      receivedAt: r.receivedAt,
      storefront: r.source.storefront,
      action: r.source.action,
    })),
    ...(lead.erased ? { erased: lead.erased } : {}),
    actions: actionOffers(lead, viewer, roster, t),
  };
}
