import type { MessageKey } from '../i18n/translator.js';
import { type ParsedInput, parseActionInputs } from '../leads/action-inputs.js';
import type { Person } from '../leads/lead.js';
import type { LeadAction, Verb } from '../leads/lifecycle.js';

/** A card's inputs (merged into the action's `data`), parsed as every surface parses them. */
export function parseLeadAction(
  verb: Verb,
  data: Record<string, unknown>,
  roster: Person[],
): LeadAction | { invalid: MessageKey } {
  const parsed: ParsedInput = parseActionInputs(verb, data, roster);
  return 'invalid' in parsed ? { invalid: `input.${parsed.invalid}` } : parsed;
}
