import type { Request, Response } from 'restify';
import {
  type ImportDeps,
  importPartnerCenterExport,
  MAX_IMPORT_BYTES,
} from '../leads/partner-center-import.js';
import { answerError, sendError } from './error-answer.js';
import { FailedAuthLimiter } from './failed-auth-limiter.js';
import { type KeyedRouteDeps, readKeyedBody } from './keyed-body.js';
import { BodyTooLargeError, streamBody } from './read-body.js';

export interface ImportRouteDeps extends ImportDeps, KeyedRouteDeps {
  /** New leads were stored: the outbox posts their cards. */
  onImported: () => void;
}

// What a browser, curl or Excel call a .csv file.
const CSV_TYPES = ['text/csv', 'application/csv', 'text/comma-separated-values', 'application/vnd.ms-excel'];

function isCsv(contentType: string | undefined): boolean {
  return CSV_TYPES.includes((contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '');
}

/** POST /api/leads/import (`text/csv`, webhook key): Partner Center's export in, the report out as JSON. */
export function createImportRoute(deps: ImportRouteDeps) {
  const failedAuth = deps.failedAuth ?? new FailedAuthLimiter();
  return async (req: Request, res: Response): Promise<void> => {
    // Parsed as it arrives, a slice at a time: a file past a limit is refused before the rest is read.
    const csv = await readKeyedBody(
      req,
      res,
      deps,
      failedAuth,
      {
        accepts: isCsv,
        wrongType: 'Send the Partner Center export as CSV (Content-Type: text/csv).',
        maxBytes: MAX_IMPORT_BYTES,
        tooLarge: `An export must be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`,
      },
      streamBody,
    );
    if (csv === undefined) return;
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
      if (error instanceof BodyTooLargeError)
        sendError(
          res,
          413,
          'payload_too_large',
          `An export must be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`,
        );
      else answerError(res, error, deps.log);
    } finally {
      req.resume(); // what the import did not read is dropped, unparsed
    }
  };
}
