import type { MessageKey, Translator } from '../../i18n/translator.js';
import type { ImportReport } from '../../leads/partner-center-import.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, textBlock } from './adaptive-card.js';
import { literalText } from './text.js';

/** Refused rows listed on the card; the rest are counted ("…and 12 more"). */
const LISTED = 10;

/** The import's answer in chat: the counts, then which rows were refused and why. Pure. */
export function renderImportReportCard(report: ImportReport, t: Translator): AdaptiveCard {
  const counts: Array<[string, number]> = [
    [t('import.rows'), report.rows],
    [t('import.new'), report.new],
    [t('import.known'), report.known],
    [t('import.duplicates'), report.duplicates],
    [t('import.repeats'), report.repeats],
    [t('import.tests'), report.tests],
    [t('import.refused'), report.refused.length],
  ];
  const body: CardElement[] = [
    textBlock(t('import.title'), { size: 'Medium', weight: 'Bolder' }),
    {
      type: 'FactSet',
      facts: counts.filter(([, n], i) => i < 3 || n > 0).map(([title, n]) => ({ title, value: String(n) })),
    },
  ];
  if (report.refused.length > 0) {
    body.push(textBlock(t('import.refused'), { weight: 'Bolder', spacing: 'Medium' }));
    // Reasons quote the file (a date as written): literal.
    for (const r of report.refused.slice(0, LISTED)) {
      const reason = t(`import.reason.${r.code}` as MessageKey, { value: r.value ?? '' });
      body.push(literalText(t('import.refusedRow', { row: r.row, reason }), 200, { isSubtle: true }));
    }
    if (report.refused.length > LISTED)
      body.push(
        textBlock(t('import.moreRefused', { count: report.refused.length - LISTED }), { isSubtle: true }),
      );
  }
  return adaptiveCard(body);
}
