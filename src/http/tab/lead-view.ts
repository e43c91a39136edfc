// A lead as the tab's JSON shows it: a row for the board and list, the details with the whole
// history, and the actions this person may take now with the inputs each needs (the card's).
import type { Translator } from '../../i18n/translator.js';
import { actRefusal, hidesContact } from '../../leads/access.js';
import { CURRENCIES, MAX_DETAILS, MAX_NOTE, MAX_VALUE } from '../../leads/action-inputs.js';
import { MAX_CAMPAIGN_NAME } from '../../leads/campaigns.js';
import { MAX_CRM_URL } from '../../leads/crm.js';
import { customerName, type Lead, type Person } from '../../leads/lead.js';
import { availableVerbs, DISQUALIFY_REASONS, type Verb } from '../../leads/lifecycle.js';
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
  owner?: Person;
  opportunity?: Lead['opportunity'];
  doNotContact: boolean;
  isTest: boolean;
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
    ...(lead.owner ? { owner: lead.owner } : {}),
    ...(lead.opportunity ? { opportunity: lead.opportunity } : {}),
    doNotContact: lead.doNotContact,
    isTest: lead.isTest,
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
  | { name: string; type: 'text'; label: string; required: boolean; maxLength: number }
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

const TITLES = {
  claim: 'card.claim',
  assign: 'card.assign',
  qualify: 'card.qualify',
  disqualify: 'card.disqualify',
  opportunity: 'card.opportunity',
  won: 'card.won',
  lost: 'card.lost',
  note: 'card.addNote',
  reopen: 'card.reopen',
  crm: 'card.linkCrm',
  campaign: 'card.tagCampaign',
} as const satisfies Record<Verb, string>;

/**
 * What this person may do now: the verbs the lifecycle allows in the lead's status, less those
 * the access rules refuse them (leads/access.ts), with the inputs the card's forms ask for.
 */
export function actionOffers(lead: Lead, viewer: Viewer, roster: Person[], t: Translator): ActionOffer[] {
  const note = (required: boolean): ActionInput => ({
    name: 'note',
    type: 'text',
    label: t('card.noteText'),
    required,
    maxLength: MAX_NOTE,
  });
  const inputs: Record<Verb, () => ActionInput[] | undefined> = {
    claim: () => [],
    qualify: () => [],
    won: () => [],
    reopen: () => [],
    lost: () => [note(false)],
    note: () => [note(true)],
    assign: () => {
      const choices = roster
        .filter((m) => m.aadObjectId !== lead.owner?.aadObjectId)
        .map((m) => ({ value: m.aadObjectId, title: m.name }));
      // Like the card: no roster, no Assign form.
      return choices.length === 0
        ? undefined
        : [{ name: 'assignee', type: 'choice', label: t('card.assignTo'), required: true, choices }];
    },
    disqualify: () => [
      {
        name: 'reason',
        type: 'choice',
        label: t('card.reason'),
        required: true,
        choices: DISQUALIFY_REASONS.map((r) => ({ value: r, title: t(`reason.${r}`) })),
      },
      { name: 'details', type: 'text', label: t('card.details'), required: false, maxLength: MAX_DETAILS },
    ],
    opportunity: () => [
      {
        name: 'value',
        type: 'number',
        label: t('card.value'),
        required: true,
        min: 0.01,
        max: MAX_VALUE,
        ...(lead.opportunity ? { value: lead.opportunity.value } : {}),
      },
      {
        name: 'currency',
        type: 'choice',
        label: t('card.currency'),
        required: true,
        choices: CURRENCIES.map((c) => ({ value: c, title: c })),
        value: lead.opportunity?.currency ?? (t.locale === 'pt-PT' ? 'EUR' : 'USD'),
      },
      { name: 'expectedClose', type: 'date', label: t('card.expectedClose'), required: false },
      note(false),
    ],
    crm: () => [
      {
        name: 'crm',
        type: 'text',
        label: t('card.crmInput'),
        required: true,
        maxLength: MAX_CRM_URL,
        ...(lead.crm?.url || lead.crm?.id ? { value: lead.crm.url ?? lead.crm.id } : {}),
      },
    ],
    campaign: () => [
      {
        name: 'campaign',
        type: 'text',
        label: t('card.campaignInput'),
        required: true,
        maxLength: MAX_CAMPAIGN_NAME,
        ...(lead.campaign?.name ? { value: lead.campaign.name } : {}),
      },
    ],
  };
  const offers: ActionOffer[] = [];
  for (const verb of availableVerbs(lead)) {
    if (actRefusal(lead, viewer.actor, verb) !== undefined) continue;
    const fields = inputs[verb]();
    if (fields) offers.push({ verb: `lead.${verb}`, title: t(TITLES[verb]), inputs: fields });
  }
  return offers;
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
