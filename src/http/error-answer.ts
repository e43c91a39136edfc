import type { Response } from 'restify';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  StorageUnavailableError,
  ValidationError,
} from '../errors.js';
import { describeError, type Logger } from '../log.js';

/** How long a sender is asked to wait when the store cannot write (a full disk is not fixed in seconds). */
export const STORAGE_RETRY_AFTER_SECONDS = 60;

export function sendError(res: Response, status: number, code: string, message: string): void {
  res.send(status, { error: { code, message } });
}

/**
 * Every domain error as an HTTP answer, in one place: the status, a code, and a message that says
 * what was wrong and what to do. Nothing else is said about a fault: no stack, no internals.
 */
export function answerError(res: Response, error: unknown, log: Logger): void {
  const status = statusOf(error);
  if (status !== undefined && error instanceof AppError) {
    sendError(res, status, error.code, error.message);
    return;
  }
  if (error instanceof StorageUnavailableError) {
    // Nothing was kept (the store took the change back), so the sender's retry is the right move.
    log.error('nothing stored: the store cannot write', { error: error.message.slice(0, 300) });
    res.header('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS));
    sendError(
      res,
      503,
      error.code,
      'The server cannot write its data right now. Nothing was kept; ' +
        `send it again in ${STORAGE_RETRY_AFTER_SECONDS} s.`,
    );
    return;
  }
  log.error('request failed', { error: describeError(error) });
  sendError(res, 500, 'internal', 'Something went wrong on the server. Nothing was kept; send it again.');
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof ValidationError) return 400;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  return undefined;
}
