import assert from 'node:assert/strict';
import { renderLeadCard } from '../../src/bot/cards/lead-card.js';
import { renderSummaryCard } from '../../src/bot/cards/summary-card.js';
import { translator } from '../../src/i18n/translator.js';
import { type Actor, applyAction } from '../../src/leads/lifecycle.js';
import type { Summary } from '../../src/leads/reports.js';
import { statusText } from '../../src/tab/labels.js';
import { strings } from '../../src/tab/strings.js';
import { cardText } from '../fakes/card-text.js';
import { makeLead } from '../fakes/lead-factory.js';

// One word per status: the card's badge, the tab's column/filter/history and the summary's funnel
// name a status alike, in each language.

const megan: Actor = { aadObjectId: 'aad-megan', name: 'Megan Bowen', isGuest: false, isManager: false };
const now = new Date('2026-11-24T15:00:00Z');

const summary: Summary = {
  period: { from: new Date('2026-10-26T00:00:00Z'), to: now, label: 'month' },
  received: 5,
  funnel: { assigned: 4, qualified: 2, opportunity: 2, won: 1, lost: 0, disqualified: 1 },
  rates: { assigned: 0.8, qualified: 0.4, opportunity: 0.4, won: 0.2 },
  firstTouch: { median: 10, p90: 240, touched: 4 },
  byStorefront: {},
  byAction: {},
  byPriority: {},
  topOffers: [],
  byCampaign: [],
  owners: [],
  oldestUntouched: [],
  testLeads: 0,
  doNotContact: 0,
};

describe('one word per status', () => {
  for (const [locale, assigned, funnel] of [
    ['en', 'Assigned', ['Received', 'Assigned', 'Qualified', 'Opportunity', 'Won']],
    ['pt-PT', 'Atribuído', ['Recebido', 'Atribuído', 'Qualificado', 'Oportunidade', 'Ganho']],
  ] as const) {
    it(`${locale}: a claimed lead reads “${assigned}” on the card, in the tab and in the funnel`, () => {
      const t = translator(locale, 'en');
      const claimed = applyAction(makeLead(), { verb: 'claim' }, megan, now);
      const card = renderLeadCard(claimed, { t, timeZone: 'UTC', now });
      const header = (card.body[0] as unknown as { columns: Array<{ items: unknown[] }> }).columns;
      // The badge column holds the status, then the priority: the status's word comes first.
      assert.equal(cardText(header[1]).split('\n')[0], assigned, 'the card’s badge');
      assert.equal(statusText(strings(locale), 'assigned'), assigned, 'the tab’s column, filter and history');
      const chart = renderSummaryCard(summary, { t, timeZone: 'UTC', now }).body.find(
        (e) => e.type === 'Chart.HorizontalBar',
      );
      assert.deepEqual(
        ((chart?.data ?? []) as Array<{ x: string }>).map((d) => d.x),
        funnel,
        'the funnel’s stages, all in the same number',
      );
    });
  }
});
