import type { Request, Response } from 'restify';
import { sendError } from './error-answer.js';
import { isJson } from './keyed-body.js';
import { BodyTooLargeError, readBody } from './read-body.js';

/** What a JSON-only route (the bot endpoint, the dev token) says when refusing a body. */
export interface JsonBodyRules {
  maxBytes: number;
  /** What to send instead, for the `415` and the `400`. */
  expected: string;
}

/**
 * Reads a JSON body in memory, never on disk: `415` for any other media type (multipart and form
 * posts included) before a byte is read, `413` past `maxBytes`, `400` for text that is not JSON.
 * Resolves with the parsed value, or undefined once a refusal was sent.
 */
export async function readJsonBody(
  req: Request,
  res: Response,
  rules: JsonBodyRules,
): Promise<{ value: unknown } | undefined> {
  const type = req.headers['content-type'];
  // Unlike the lead webhook (Partner Center's type is undocumented), a missing type is refused too.
  if (!type || !isJson(type)) {
    refuse(req, res, 415, 'unsupported_media_type', `Only application/json is taken here. ${rules.expected}`);
    return undefined;
  }
  let text: string;
  try {
    text = await readBody(req, rules.maxBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    refuse(req, res, 413, 'payload_too_large', `The body is larger than ${rules.maxBytes} bytes.`);
    return undefined;
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    sendError(res, 400, 'invalid_json', `The body is not valid JSON. ${rules.expected}`);
    return undefined;
  }
}

/**
 * Answers without keeping the connection: what is left of the body is drained and dropped (never
 * buffered, never on disk; the client timeouts bound a sender that keeps streaming), so that the
 * client still reads the answer.
 */
export function refuse(req: Request, res: Response, status: number, code: string, message: string): void {
  req.resume();
  res.header('Connection', 'close');
  sendError(res, status, code, message);
}
