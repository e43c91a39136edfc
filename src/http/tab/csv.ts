import { stringify } from 'csv-stringify/sync';
import { hidesContact } from '../../leads/access.js';
import type { Lead } from '../../leads/lead.js';
import { priorityOf } from '../../leads/priority.js';
import { changedAt } from './lead-view.js';
import type { Viewer } from './viewer.js';

const COLUMNS = [
  'id',
  'receivedAt',
  'status',
  'storefront',
  'action',
  'offer',
  'firstName',
  'lastName',
  'company',
  'title',
  'country',
  'email',
  'phone',
  'owner',
  'value',
  'currency',
  'expectedClose',
  'disqualifyReason',
  'changedAt',
  // Last, so spreadsheets built on the earlier columns keep working.
  'priority',
  'priorityReasons',
] as const;

/**
 * Where a spreadsheet may start a cell: the field's start, after a line break (a reader that lost
 * track of quotes starts a row there), and after a `;` or `,` (a file opened
 * in a `;` locale such as pt-PT splits at `;`; a lenient reader takes a quote inside a field as a
 * plain character, so quoting alone does not keep a `;` inside its field). A cell that starts with
 * = + - @ (or a tab or CR, or quotes or spaces before one) runs as a formula.
 */
const FORMULA_START = /(^|[;,\r\n])(?=[\s"]*[=+\-@\t\r])/g;

/**
 * A leading apostrophe makes a would-be formula text (OWASP's advice), at the start of the field
 * and after every `;`, `,` or line break in it, so `Fabrikam;=1+2` is `Fabrikam;'=1+2`. Lead fields come from
 * strangers.
 */
export function defuseFormula(cell: string): string {
  return cell.replace(FORMULA_START, "$1'");
}

/** The leads as CSV (UTF-8 with a BOM, so Excel reads accents), contact details as the viewer may see them. */
export function leadsCsv(leads: Lead[], viewer: Viewer, visibility: 'team' | 'owner'): string {
  const rows = leads.map((lead) => {
    const c = lead.customer;
    const hidden = hidesContact(lead, viewer.actor, visibility);
    const cells: Record<(typeof COLUMNS)[number], string> = {
      id: lead.id,
      receivedAt: lead.receivedAt,
      status: lead.status,
      storefront: lead.source.storefront,
      action: lead.source.action,
      offer: lead.offerTitle,
      firstName: c.firstName,
      lastName: c.lastName,
      company: c.company,
      title: c.title,
      country: c.country,
      email: hidden ? '' : c.email,
      phone: hidden ? '' : c.phone,
      owner: lead.owner?.name ?? '',
      value: lead.opportunity ? String(lead.opportunity.value) : '',
      currency: lead.opportunity?.currency ?? '',
      expectedClose: lead.opportunity?.expectedClose ?? '',
      disqualifyReason: lead.disqualifyReason ?? '',
      changedAt: changedAt(lead),
      priority: priorityOf(lead).level,
      priorityReasons: priorityOf(lead)
        .reasons.map((r) => `${r.code}${r.weight ? ` ${r.weight > 0 ? '+' : ''}${r.weight}` : ''}`)
        .join(', '),
    };
    return COLUMNS.map((column) => defuseFormula(cells[column]));
  });
  // Every field quoted: a reader that honours quotes (Excel, LibreOffice) keeps a `;` or `,` in it.
  return `\ufeff${stringify([[...COLUMNS], ...rows], { record_delimiter: 'windows', quoted: true, quoted_empty: true })}`;
}
