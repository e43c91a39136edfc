import { StorageUnavailableError, ValidationError } from '../errors.js';
import type { Translator } from '../i18n/translator.js';

/**
 * Every error a turn can end in, as the sentence the user reads (a card click's answer or a chat
 * reply), in one place: what happened and what to do, never a stack trace.
 */
export function errorMessage(error: unknown, t: Translator): string {
  if (error instanceof ValidationError) return t('error.badCardData');
  if (error instanceof StorageUnavailableError) return t('error.storageUnavailable');
  return t('error.tryAgain');
}
