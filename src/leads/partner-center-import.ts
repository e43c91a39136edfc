// Recovering missed leads from Partner Center's CSV export: read the rows, tell the ones the bot
// already holds from the ones it never received, and store the new ones through the webhook's own
// intake. Plain data in, a report out: the chat and HTTP transports only carry the file and the answer.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type IntakeResult, receiveIncoming } from './intake.js';
import type { IncomingLead, Lead } from './lead.js';
import { type ExportFile, type RefusedRow, readExportFile, readRow } from './partner-center-rows.js';
import { findRepeatTarget } from './repeats.js';
import { routeLead } from './routing.js';
import type { ChannelTarget, LeadStore } from './store.js';

export {
  MAX_IMPORT_COLUMNS,
  MAX_IMPORT_LINE_BYTES,
  MAX_IMPORT_ROWS,
  type RefusalReason,
  type RefusedRow,
} from './partner-center-rows.js';

/** 5,000 rows with long notes stay well under this; a file near it is not an export. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** A lead already held is this one when its time is within a day of the row's. */
const SAME_LEAD_WINDOW_MS = 86_400_000;
/** Rows of different customers are stored side by side; one customer's rows in file order. */
const CONCURRENCY = 8;
/** Rows handled between two turns of the event loop: the webhook and /healthz answer meanwhile. */
const ROWS_PER_TURN = 50;

export interface ImportReport {
  /** Data rows in the file (header left out). */
  rows: number;
  /** Leads the bot never had, now stored and on their way to the channel. */
  new: number;
  /** Rows of leads the bot already holds (same Referral ID, or e-mail and offer within a day). */
  known: number;
  /** Rows repeating an earlier row of the same file (counted once). */
  duplicates: number;
  /** The same buyer again for an offer within 30 days: kept on the lead the team already has. */
  repeats: number;
  /** Partner Center's MSFT_TEST_ validation leads: never recovered. */
  tests: number;
  /** Rows not imported, by spreadsheet row number (the header is row 1), and why. */
  refused: RefusedRow[];
  /** Columns the import did not use. */
  ignoredColumns: string[];
  /** Ids of the new leads, in file order. */
  leads: string[];
}

export interface ImportDeps {
  store: LeadStore;
  now: () => Date;
  /**
   * Before the new leads are stored: one notice per channel they go to, so it comes before their
   * cards. Must not throw (a notice that cannot be posted is no reason to lose the leads).
   */
  announce?: (target: ChannelTarget, count: number) => Promise<void>;
}

type Planned = { row: number; incoming: IncomingLead; createdAt: string };

/**
 * Imports one export (as text, or as the body's chunks as they come). Throws ValidationError (nothing stored) for a file that is not an export;
 * otherwise every row is accounted for in the report. Importing the same file again adds nothing.
 */
export async function importPartnerCenterExport(
  deps: ImportDeps,
  csv: string | Iterable<Buffer> | AsyncIterable<Buffer>,
): Promise<ImportReport> {
  const file = await readExportFile(typeof csv === 'string' ? [Buffer.from(csv)] : csv);
  const now = deps.now();
  const report: ImportReport = {
    rows: file.rows.length + file.broken.length,
    new: 0,
    known: 0,
    duplicates: 0,
    repeats: 0,
    tests: 0,
    refused: [...file.broken],
    ignoredColumns: file.ignoredColumns,
    leads: [],
  };
  const toStore = await planRows(deps.store, file, now, report);
  await announceNew(deps, toStore, now);
  const results = await storeAll(deps.store, toStore, now);
  for (const { result } of results) {
    // A lead stored meanwhile by the webhook (same fingerprint) is one the bot holds.
    if (result.status === 'duplicate') report.known++;
    else if (result.repeat) report.repeats++;
    else {
      report.new++;
      report.leads.push(result.lead.id);
    }
  }
  report.refused.sort((a, b) => a.row - b.row);
  return report;
}

/** Sorts every row into the report, and returns the ones to store. */
async function planRows(
  store: LeadStore,
  file: ExportFile,
  now: Date,
  report: ImportReport,
): Promise<Planned[]> {
  const seen = new Set<string>();
  const toStore: Planned[] = [];
  for (const [index, row] of file.rows.entries()) {
    if (index % ROWS_PER_TURN === ROWS_PER_TURN - 1) await nextTurn();
    const reading = readRow(file, row, now);
    if (reading.kind === 'test') report.tests++;
    else if (reading.kind === 'refused') {
      const { kind: _kind, ...refused } = reading;
      report.refused.push(refused);
    } else if (seen.has(reading.incoming.fingerprint)) report.duplicates++;
    else {
      seen.add(reading.incoming.fingerprint);
      if (await isKnown(store, reading.incoming, reading.createdAt)) report.known++;
      else toStore.push(reading);
    }
  }
  return toStore;
}

/** Held already: imported before (same fingerprint), or the same e-mail and offer within a day. */
async function isKnown(store: LeadStore, incoming: IncomingLead, createdAt: string): Promise<boolean> {
  if (await store.findByFingerprint(incoming.fingerprint)) return true;
  const at = Date.parse(createdAt);
  return (await store.findByEmail(incoming.customer.email)).some(
    (lead) => sameOffer(lead, incoming) && seenAt(lead).some((t) => Math.abs(t - at) <= SAME_LEAD_WINDOW_MS),
  );
}

function sameOffer(lead: Lead, incoming: IncomingLead): boolean {
  const title = (s: string) => s.trim().toLowerCase();
  if (title(lead.offerTitle) !== '' && title(lead.offerTitle) === title(incoming.offerTitle)) return true;
  const id = incoming.source.offerId?.toLowerCase();
  return id !== undefined && lead.source.offerId?.toLowerCase() === id;
}

/** When the lead was received, and when it was seen again. */
function seenAt(lead: Lead): number[] {
  return [lead.receivedAt, ...(lead.repeats ?? []).map((r) => r.receivedAt)].map((t) => Date.parse(t));
}

/** The one-line notice per channel, for the leads that will get a card of their own (not repeats). */
async function announceNew(deps: ImportDeps, planned: Planned[], now: Date): Promise<void> {
  if (!deps.announce || planned.length === 0) return;
  const routing = await deps.store.getRouting();
  const counts = new Map<string, { target: ChannelTarget; count: number }>();
  for (const [index, { incoming }] of planned.entries()) {
    if (index % ROWS_PER_TURN === ROWS_PER_TURN - 1) await nextTurn();
    if (findRepeatTarget(await deps.store.findByEmail(incoming.customer.email), incoming, now)) continue;
    const target = routeLead(incoming, routing);
    if (!target) continue;
    const key = `${target.teamId}|${target.channelId}`;
    counts.set(key, { target, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  for (const { target, count } of counts.values()) await deps.announce(target, count);
}

/** Through the webhook's intake; one customer's rows in order, different customers side by side. */
async function storeAll(
  store: LeadStore,
  planned: Planned[],
  now: Date,
): Promise<Array<{ planned: Planned; result: IntakeResult }>> {
  const byCustomer = new Map<string, Planned[]>();
  for (const p of planned) {
    const key = p.incoming.customer.email.toLowerCase();
    byCustomer.set(key, [...(byCustomer.get(key) ?? []), p]);
  }
  const queues = [...byCustomer.values()];
  const results: Array<{ planned: Planned; result: IntakeResult }> = [];
  let stored = 0;
  const worker = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const p of queue) {
        if (++stored % ROWS_PER_TURN === 0) await nextTurn();
        const result = await receiveIncoming(store, p.incoming, now, {
          by: 'Partner Center export',
          action: 'recovered',
          receivedAt: p.createdAt,
          note: 'Recovered from a Partner Center export',
        });
        results.push({ planned: p, result });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results.sort((a, b) => a.planned.row - b.planned.row);
}
