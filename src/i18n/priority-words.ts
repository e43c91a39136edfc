// A lead's priority in words, the same on the card, in the tab and in the summary.
import type { Priority, PriorityLevel, PriorityReason } from '../leads/priority-levels.js';
import { actionLabelKey } from '../leads/source-labels.js';
import type { Translator } from './translator.js';

/** "High priority" / "Prioridade alta". */
export function priorityLabel(level: PriorityLevel, t: Translator): string {
  return t(`priority.${level}`);
}

/** "High" / "Alta": for a column or a filter. */
export function priorityShortLabel(level: PriorityLevel, t: Translator): string {
  return t(`priority.short.${level}`);
}

/** One reason in words: "Contact me", "free e-mail", "no phone and job title". */
export function priorityReasonText(reason: PriorityReason, t: Translator): string {
  const action = reason.action ? t(actionLabelKey(reason.action)) : '';
  const fields = t.formatList((reason.missing ?? []).map((field) => t(`priority.field.${field}`)));
  return t(`priority.reason.${reason.code}`, { action, fields });
}

/** The strongest reasons on one short line: "Contact me · senior title · company e-mail". */
export function priorityReasonsLine(priority: Priority, t: Translator, max = 4): string {
  return priority.reasons
    .slice(0, max)
    .map((r) => priorityReasonText(r, t))
    .join(' · ');
}
