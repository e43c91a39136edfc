// The inputs of an action (assignee, reason, value…) as every surface sends them: a card's merged
// `data`, the tab's JSON body. One parser, so the card and the tab accept and refuse the same.
import { ValidationError } from '../errors.js';
import { MAX_CAMPAIGN_NAME } from './campaigns.js';
import { parseCrmInput } from './crm.js';
import type { Person } from './lead.js';
import { DISQUALIFY_REASONS, type DisqualifyReason, type LeadAction, type Verb } from './lifecycle.js';

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'BRL', 'CHF', 'CAD', 'AUD', 'JPY', 'INR'] as const;

/** Which input was wrong; each surface says it in the user's language (`input.<problem>`). */
export type InputProblem =
  | 'note'
  | 'assignee'
  | 'reason'
  | 'value'
  | 'currency'
  | 'date'
  | 'crm'
  | 'campaign';

export type ParsedInput = LeadAction | { invalid: InputProblem };

export const MAX_NOTE = 2000;
export const MAX_DETAILS = 500;

export const MAX_VALUE = 1e12;

/**
 * Inputs arrive typed by whoever sent them (a card merges them into `data`): every value is
 * checked here, and a bad one comes back as the input to fix.
 */
export function parseActionInputs(verb: Verb, data: Record<string, unknown>, roster: Person[]): ParsedInput {
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string).trim() : '');
  switch (verb) {
    case 'claim':
    case 'qualify':
    case 'won':
    case 'reopen':
      return { verb };
    case 'lost':
      return text('note') ? { verb, note: text('note').slice(0, MAX_NOTE) } : { verb };
    case 'note': {
      const note = text('note');
      return note && note.length <= MAX_NOTE ? { verb, note } : { invalid: 'note' };
    }
    case 'assign': {
      const member = roster.find((m) => m.aadObjectId === text('assignee'));
      return member
        ? { verb, assignee: { aadObjectId: member.aadObjectId, name: member.name } }
        : { invalid: 'assignee' };
    }
    case 'disqualify': {
      const reason = text('reason') as DisqualifyReason;
      if (!DISQUALIFY_REASONS.includes(reason)) return { invalid: 'reason' };
      const details = text('details').slice(0, MAX_DETAILS);
      return details ? { verb, reason, note: details } : { verb, reason };
    }
    case 'opportunity':
      return parseOpportunity(data, text);
    case 'crm':
      return parseCrm(text('crm'));
    case 'campaign': {
      const campaign = text('campaign').replace(/\s+/g, ' ');
      return campaign && [...campaign].length <= MAX_CAMPAIGN_NAME
        ? { verb, campaign }
        : { invalid: 'campaign' };
    }
  }
}

/** An https link or an id of the lead's CRM record (see crm.ts for what is accepted). */
function parseCrm(text: string): ParsedInput {
  try {
    return { verb: 'crm', crm: parseCrmInput(text) };
  } catch (error) {
    if (error instanceof ValidationError) return { invalid: 'crm' };
    throw error;
  }
}

function parseOpportunity(data: Record<string, unknown>, text: (key: string) => string): ParsedInput {
  const raw = data.value;
  const value = typeof raw === 'number' ? raw : Number(String(raw ?? '').replace(',', '.'));
  if (!Number.isFinite(value) || value <= 0 || value > MAX_VALUE) return { invalid: 'value' };
  const currency = text('currency').toUpperCase();
  if (!(CURRENCIES as readonly string[]).includes(currency)) return { invalid: 'currency' };
  const expectedClose = text('expectedClose');
  if (expectedClose && !isCalendarDate(expectedClose)) return { invalid: 'date' };
  const notes = text('note').slice(0, MAX_NOTE);
  return {
    verb: 'opportunity',
    opportunity: {
      value: Math.round(value * 100) / 100,
      currency,
      ...(expectedClose ? { expectedClose } : {}),
      ...(notes ? { notes } : {}),
    },
  };
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
