import { type Attachment, CardFactory, type TurnContext } from 'botbuilder';
import { ValidationError } from '../../errors.js';
import type { MessageKey, Translator } from '../../i18n/translator.js';
import {
  importPartnerCenterExport,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_COLUMNS,
  MAX_IMPORT_LINE_BYTES,
  MAX_IMPORT_ROWS,
} from '../../leads/partner-center-import.js';
import { describeError } from '../../log.js';
import { viewerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { renderImportReportCard } from '../cards/import-report-card.js';
import { viewFor } from '../turn-helpers.js';
import { DownloadError, downloadChunks } from './download-file.js';
import { recoveredNotice } from './recovered-notice.js';

/** What Teams sends for a file a user shares with the bot in a personal chat (manifest: supportsFiles). */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
const DOWNLOAD_TIMEOUT_MS = 30_000;

interface DownloadInfo {
  downloadUrl?: unknown;
  fileType?: unknown;
}

/** The file in this message, if it carries one. */
export function sharedFile(context: TurnContext): Attachment | undefined {
  return context.activity.attachments?.find((a) => a.contentType === FILE_DOWNLOAD_INFO);
}

/**
 * A Partner Center export sent to the bot: only a manager's, only in a personal chat (a file in a
 * team or group chat is seen by others and is not meant for the bot). Downloaded from the URL
 * Teams gives and nowhere else, within a size and time limit; imported; answered with the report.
 * The file itself is never kept.
 */
export async function importSharedFile(context: TurnContext, file: Attachment, deps: BotDeps): Promise<void> {
  const { t } = viewFor(context, deps);
  if (context.activity.conversation.conversationType !== 'personal') {
    await context.sendActivity(t('import.notPersonal'));
    return;
  }
  // The door decides who may import: a manager MANAGERS names, as for `forget`.
  if (!deps.door.mayUse('listed managers', await viewerOf(context, deps))) {
    await context.sendActivity(t('import.notManager'));
    return;
  }
  const info = (file.content ?? {}) as DownloadInfo;
  const name = file.name ?? '';
  const isCsv = String(info.fileType ?? '').toLowerCase() === 'csv' || /\.csv$/i.test(name);
  if (!isCsv || typeof info.downloadUrl !== 'string') {
    await context.sendActivity(t('import.notCsv'));
    return;
  }
  let csv: Buffer[];
  try {
    csv = await downloadChunks(
      info.downloadUrl,
      { maxBytes: MAX_IMPORT_BYTES, timeoutMs: DOWNLOAD_TIMEOUT_MS },
      deps.downloads,
    );
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    deps.log.warn('shared file not downloaded', {
      reason: error.reason,
      ...(error.refusal ? { refusal: error.refusal } : {}),
      error: error.message.slice(0, 200),
    });
    await context.sendActivity(downloadFailure(error, t));
    return;
  }
  try {
    const report = await importPartnerCenterExport(
      { store: deps.store, now: deps.now, announce: recoveredNotice(deps) },
      csv,
    );
    deps.log.info('partner center export imported from chat', {
      rows: report.rows,
      new: report.new,
      known: report.known,
      refused: report.refused.length,
    });
    if (report.new + report.repeats > 0) deps.changes.received();
    await context.sendActivity({
      attachments: [CardFactory.adaptiveCard(renderImportReportCard(report, t))],
    });
  } catch (error) {
    if (!(error instanceof ValidationError)) {
      deps.log.error('import failed', { error: describeError(error) });
      throw error;
    }
    const known: Record<string, [MessageKey, number?]> = {
      missing_columns: ['import.missingColumns'],
      too_many_rows: ['import.tooManyRows', MAX_IMPORT_ROWS],
      line_too_long: ['import.lineTooLong', MAX_IMPORT_LINE_BYTES / 1024],
      too_many_columns: ['import.tooManyColumns', MAX_IMPORT_COLUMNS],
      empty_file: ['import.emptyFile'],
      not_csv: ['import.notCsv'],
    };
    const [key, max] = known[error.code] ?? [];
    await context.sendActivity(
      key ? t(key, { max: max ?? '' }) : t('import.failed', { reason: error.message }),
    );
  }
}

/** What the manager reads when the file was not downloaded: too large, refused (and why), or failed. */
function downloadFailure(error: DownloadError, t: Translator): string {
  if (error.reason === 'too_large') return t('import.tooLarge', { size: MAX_IMPORT_BYTES / 1024 / 1024 });
  if (error.reason === 'refused' && error.refusal)
    return t('import.downloadRefused', { why: t(`import.downloadRefused.${error.refusal}`) });
  return t('import.downloadFailed');
}
