import assert from 'node:assert/strict';
import { renderSummaryCard } from '../../../src/bot/cards/summary-card.js';
import { translator } from '../../../src/bot/i18n/translator.js';
import type { Summary } from '../../../src/leads/reports.js';

const summary: Summary = {
  period: { from: new Date('2026-10-26T00:00:00Z'), to: new Date('2026-11-24T10:00:00Z'), label: 'month' },
  received: 5,
  funnel: { assigned: 4, qualified: 2, opportunity: 2, won: 1, lost: 0, disqualified: 1 },
  rates: { assigned: 0.8, qualified: 0.4, opportunity: 0.4, won: 0.2 },
  firstTouch: { median: 10, p90: 240, touched: 4 },
  byStorefront: { AppSource: 4, AzureMarketplace: 1 },
  byAction: { PLT: 4, INS: 1 },
  topOffers: [{ offer: '[Analytics](https://evil.example)', count: 3 }],
  owners: [{ name: 'Megan Bowen', open: 1, qualified: 2, won: 1, pipeline: { EUR: 5000 } }],
  oldestUntouched: [{ id: 'L-DDDDD', who: 'Kenji Morales', receivedAt: '2026-11-05T09:00:00Z' }],
  testLeads: 1,
  doNotContact: 1,
};

function texts(
  node: unknown,
  out: Array<{ type: string; text: string }> = [],
): Array<{ type: string; text: string }> {
  if (Array.isArray(node)) {
    for (const n of node) texts(n, out);
  } else if (node && typeof node === 'object') {
    const n = node as Record<string, unknown>;
    if (typeof n.text === 'string') out.push({ type: String(n.type), text: n.text });
    for (const v of Object.values(n)) texts(v, out);
  }
  return out;
}

describe('renderSummaryCard', () => {
  it('shows every figure as text, with a funnel chart that clients without charts drop', () => {
    const card = renderSummaryCard(summary, { t: translator('en', 'en'), timeZone: 'UTC', now: new Date() });
    const shown = texts(card).map((x) => x.text);
    for (const expected of [
      'Leads summary · last 30 days',
      '4 (80%)',
      '1 (20%)',
      'median 10 min · 90th percentile 4 h · 4 leads touched',
      'Azure Marketplace',
      'Get it now / Free trial',
      'Megan Bowen',
      '1 open · 2 qualified · 1 won · pipeline €5,000.00',
      'Not counted above: 1 test lead(s), 1 do-not-contact lead(s).',
    ]) {
      assert.ok(shown.includes(expected), `${expected} in ${shown.join(' | ')}`);
    }
    const chart = card.body.find((e) => e.type === 'Chart.VerticalBar');
    assert.ok(chart);
    assert.equal(chart.fallback, 'drop');
    assert.deepEqual(
      (chart.data as Array<{ y: number }>).map((d) => d.y),
      [5, 4, 2, 2, 1],
    );
  });

  it('keeps offer titles literal and speaks Portuguese', () => {
    const card = renderSummaryCard(summary, {
      t: translator('pt-PT', 'en'),
      timeZone: 'Europe/Lisbon',
      now: new Date(),
    });
    const all = texts(card);
    assert.equal(all.find((x) => x.text.includes('evil.example'))?.type, 'TextRun');
    const shown = all.map((x) => x.text);
    assert.ok(shown.includes('Resumo de contactos · últimos 30 dias'));
    assert.ok(
      shown.some((x) => /1 em aberto · 2 qualificados · 1 ganhos · pipeline 5000,00\s€/.test(x)),
      shown.join(' | '),
    );
  });

  it('says so when the period has no leads', () => {
    const empty = {
      ...summary,
      received: 0,
      owners: [],
      topOffers: [],
      oldestUntouched: [],
      testLeads: 0,
      doNotContact: 0,
    };
    const shown = texts(
      renderSummaryCard(empty, { t: translator('en', 'en'), timeZone: 'UTC', now: new Date() }),
    ).map((x) => x.text);
    assert.ok(shown.includes('No leads in this period.'));
    assert.ok(!shown.some((x) => x.includes('Funnel')));
  });
});
