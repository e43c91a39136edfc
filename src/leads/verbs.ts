// The verbs and their inputs, once: the card's buttons and forms, the tab's offers and forms, and
// what the tab's API and the card's invoke accept are all built from this table. Labels are
// catalogue keys (src/i18n); each surface says them in its reader's language.
import { actRefusal } from './access.js';
import { CURRENCIES, MAX_DETAILS, MAX_NOTE, MAX_VALUE } from './action-inputs.js';
import { MAX_CAMPAIGN_NAME } from './campaigns.js';
import { MAX_CRM_URL } from './crm.js';
import type { Lead, Person } from './lead.js';
import { type Actor, availableVerbs, DISQUALIFY_REASONS, LEAD_VERBS, type Verb } from './lifecycle.js';

/** A key of the catalogue (`card.*`, `input.*`, `reason.*`), translated by the surface. */
type Key = string;

interface FieldBase {
  name: string;
  label: Key;
  required: boolean;
  /** What to say when it is missing or wrong (`input.*`). */
  error?: Key;
}

export type VerbField =
  | (FieldBase & {
      type: 'choice';
      /** A choice's title is either literal (a person's name) or a key (a reason). */
      choices: Array<{ value: string; title: string } | { value: string; titleKey: Key }>;
      value?: string;
      /** Long lists (a roster) are filtered as one types. */
      filtered?: boolean;
    })
  | (FieldBase & { type: 'text'; maxLength: number; value?: string; multiline: boolean })
  | (FieldBase & { type: 'number'; min: number; max: number; value?: number })
  | (FieldBase & { type: 'date' });

export interface VerbSpec {
  title: Key;
  /** The card's emphasis on its button. */
  style?: 'positive';
  /** On the card: in the row of actions, or beside what it changes (the CRM and campaign section). */
  place: 'actions' | 'details';
  /** The inputs it needs for this lead (none for one click); undefined when it cannot be offered (no roster to assign to). */
  fields(lead: Lead, roster: readonly Person[], locale: string): VerbField[] | undefined;
}

const note = (required: boolean): VerbField => ({
  name: 'note',
  type: 'text',
  label: 'card.noteText',
  required,
  maxLength: MAX_NOTE,
  multiline: true,
  ...(required ? { error: 'input.note' } : {}),
});

export const VERBS: Record<Verb, VerbSpec> = {
  claim: { title: 'card.claim', style: 'positive', place: 'actions', fields: () => [] },
  qualify: { title: 'card.qualify', place: 'actions', fields: () => [] },
  won: { title: 'card.won', style: 'positive', place: 'actions', fields: () => [] },
  lost: { title: 'card.lost', place: 'actions', fields: () => [note(false)] },
  reopen: { title: 'card.reopen', place: 'actions', fields: () => [] },
  assign: {
    title: 'card.assign',
    place: 'actions',
    fields: (lead, roster) => {
      const choices = roster
        .filter((m) => m.aadObjectId !== lead.owner?.aadObjectId)
        .map((m) => ({ value: m.aadObjectId, title: m.name }));
      if (choices.length === 0) return undefined; // no roster, no Assign form
      return [
        {
          name: 'assignee',
          type: 'choice',
          label: 'card.assignTo',
          required: true,
          error: 'input.assignee',
          choices,
          filtered: true,
        },
      ];
    },
  },
  opportunity: {
    title: 'card.opportunity',
    place: 'actions',
    fields: (lead, _roster, locale) => [
      {
        name: 'value',
        type: 'number',
        label: 'card.value',
        required: true,
        error: 'input.value',
        min: 0.01,
        max: MAX_VALUE,
        ...(lead.opportunity ? { value: lead.opportunity.value } : {}),
      },
      {
        name: 'currency',
        type: 'choice',
        label: 'card.currency',
        required: true,
        choices: CURRENCIES.map((c) => ({ value: c, title: c })),
        value: lead.opportunity?.currency ?? (locale === 'pt-PT' ? 'EUR' : 'USD'),
      },
      { name: 'expectedClose', type: 'date', label: 'card.expectedClose', required: false },
      note(false),
    ],
  },
  disqualify: {
    title: 'card.disqualify',
    place: 'actions',
    fields: () => [
      {
        name: 'reason',
        type: 'choice',
        label: 'card.reason',
        required: true,
        error: 'input.reason',
        choices: DISQUALIFY_REASONS.map((r) => ({ value: r, titleKey: `reason.${r}` })),
      },
      {
        name: 'details',
        type: 'text',
        label: 'card.details',
        required: false,
        maxLength: MAX_DETAILS,
        multiline: true,
      },
    ],
  },
  note: { title: 'card.addNote', place: 'actions', fields: () => [note(true)] },
  crm: {
    title: 'card.linkCrm',
    place: 'details',
    fields: (lead) => {
      const current = lead.crm?.url ?? lead.crm?.id;
      return [
        {
          name: 'crm',
          type: 'text',
          label: 'card.crmInput',
          required: true,
          error: 'input.crm',
          maxLength: MAX_CRM_URL,
          multiline: false,
          ...(current ? { value: current } : {}),
        },
      ];
    },
  },
  campaign: {
    title: 'card.tagCampaign',
    place: 'details',
    fields: (lead) => [
      {
        name: 'campaign',
        type: 'text',
        label: 'card.campaignInput',
        required: true,
        error: 'input.campaign',
        maxLength: MAX_CAMPAIGN_NAME,
        multiline: false,
        ...(lead.campaign?.name ? { value: lead.campaign.name } : {}),
      },
    ],
  },
};

export interface VerbOffer {
  verb: Verb;
  spec: VerbSpec;
  fields: VerbField[];
}

/**
 * What is offered on this lead now, in the table's order: the verbs its status allows, less those
 * the access rules refuse the viewer; without a viewer (a card everyone sees), those anyone on the
 * team may be offered, the managers' own left out.
 */
export function verbOffers(
  lead: Lead,
  viewer: Actor | undefined,
  roster: readonly Person[],
  locale: string,
): VerbOffer[] {
  const available = new Set(availableVerbs(lead));
  const offers: VerbOffer[] = [];
  for (const verb of LEAD_VERBS) {
    if (!available.has(verb)) continue;
    const asker = viewer ?? { aadObjectId: '', name: '', isGuest: false, isManager: false };
    const refusal = actRefusal(lead, asker, verb);
    // Without a viewer, only "not the owner" is unknown (whoever clicks may be): managers' verbs stay hidden.
    if (refusal && !(viewer === undefined && refusal === 'not_owner')) continue;
    const fields = VERBS[verb].fields(lead, roster, locale);
    if (fields) offers.push({ verb, spec: VERBS[verb], fields });
  }
  return offers;
}
