import { ValidationError } from '../errors.js';

/**
 * Where JSON.parse stopped, without the text around it: V8's message quotes a snippet of the
 * input ("Unexpected token 'a', \"avery.lind\"... is not valid JSON"), and the input is a stranger's
 * lead, so the snippet would carry an e-mail or a name into the logs and the answer.
 */
export function jsonErrorPlace(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return `at character ${position}`;
  if (/end of JSON input/.test(message)) return 'it ends too soon';
  return 'an unexpected character';
}

/** JSON.parse, refusing bad text with a ValidationError that says where, never what. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`The body is not valid JSON (${jsonErrorPlace(error)}).`);
  }
}
