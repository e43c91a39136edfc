import type { Request, Response } from 'restify';
import {
  type ImportDeps,
  importPartnerCenterExport,
  MAX_IMPORT_BYTES,
} from '../leads/partner-center-import.js';
import type { Logger } from '../log.js';
import { answerError, sendError } from './error-answer.js';
import { FailedAuthLimiter } from './failed-auth-limiter.js';
import { checkWebhookKey } from './leads-webhook.js';
import { BodyTooLargeError, readBody } from './read-body.js';

export interface ImportRouteDeps extends ImportDeps {
  secrets: readonly string[];
  open: boolean;
  log: Logger;
  /** New leads were stored: the outbox posts their cards. */
  onImported: () => void;
  failedAuth?: FailedAuthLimiter;
}

// What a browser, curl or Excel call a .csv file.
const CSV_TYPES = ['text/csv', 'application/csv', 'text/comma-separated-values', 'application/vnd.ms-excel'];

/** POST /api/leads/import (`text/csv`, webhook key): Partner Center's export in, the report out as JSON. */
export function createImportRoute(deps: ImportRouteDeps) {
  const failedAuth = deps.failedAuth ?? new FailedAuthLimiter();
  return async (req: Request, res: Response): Promise<void> => {
    if (!checkWebhookKey(req, res, deps, failedAuth)) return;
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!CSV_TYPES.includes(mediaType)) {
      req.resume();
      sendError(
        res,
        415,
        'unsupported_media_type',
        'Send the Partner Center export as CSV (Content-Type: text/csv).',
      );
      return;
    }
    let csv: string;
    try {
      csv = await readBody(req, MAX_IMPORT_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      sendError(
        res,
        413,
        'payload_too_large',
        `An export must be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`,
      );
      return;
    }
    try {
      const report = await importPartnerCenterExport(deps, csv);
      // Counts only: the rows are personal data.
      deps.log.info('partner center export imported', {
        rows: report.rows,
        new: report.new,
        known: report.known,
        refused: report.refused.length,
      });
      res.send(200, report);
      if (report.new + report.repeats > 0) deps.onImported();
    } catch (error) {
      answerError(res, error, deps.log);
    }
  };
}
