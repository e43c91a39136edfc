import { ValidationError } from '../errors.js';
import { MAX_CAMPAIGN_NAME } from '../leads/campaigns.js';
import { parseCrmInput } from '../leads/crm.js';
import type { Person } from '../leads/lead.js';
import { DISQUALIFY_REASONS, type DisqualifyReason, type LeadAction, type Verb } from '../leads/lifecycle.js';
import { CURRENCIES } from './cards/lead-actions.js';
import type { MessageKey } from './i18n/translator.js';

export type ParsedInput = LeadAction | { invalid: MessageKey };

const MAX_NOTE = 2000;
const MAX_VALUE = 1e12;

/**
 * Card inputs arrive merged into the action's `data`, typed by whoever sent them: every value is
 * checked here, and a bad one comes back as the message that says how to fix it.
 */
export function parseLeadAction(verb: Verb, data: Record<string, unknown>, roster: Person[]): ParsedInput {
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
      return note && note.length <= MAX_NOTE ? { verb, note } : { invalid: 'input.note' };
    }
    case 'assign': {
      const member = roster.find((m) => m.aadObjectId === text('assignee'));
      return member
        ? { verb, assignee: { aadObjectId: member.aadObjectId, name: member.name } }
        : { invalid: 'input.assignee' };
    }
    case 'disqualify': {
      const reason = text('reason') as DisqualifyReason;
      if (!DISQUALIFY_REASONS.includes(reason)) return { invalid: 'input.reason' };
      const details = text('details').slice(0, 500);
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
        : { invalid: 'input.campaign' };
    }
  }
}

function parseCrm(text: string): ParsedInput {
  try {
    return { verb: 'crm', crm: parseCrmInput(text) };
  } catch (error) {
    if (error instanceof ValidationError) return { invalid: 'input.crm' };
    throw error;
  }
}

function parseOpportunity(data: Record<string, unknown>, text: (key: string) => string): ParsedInput {
  const raw = data.value;
  const value = typeof raw === 'number' ? raw : Number(String(raw ?? '').replace(',', '.'));
  if (!Number.isFinite(value) || value <= 0 || value > MAX_VALUE) return { invalid: 'input.value' };
  const currency = text('currency').toUpperCase();
  if (!(CURRENCIES as readonly string[]).includes(currency)) return { invalid: 'input.currency' };
  const expectedClose = text('expectedClose');
  if (expectedClose && !isCalendarDate(expectedClose)) return { invalid: 'input.date' };
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
