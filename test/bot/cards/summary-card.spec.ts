import assert from 'node:assert/strict';
import { renderSummaryCard } from '../../../src/bot/cards/summary-card.js';
import { translator } from '../../../src/i18n/translator.js';
import type { Summary } from '../../../src/leads/reports.js';

const summary: Summary = {
  period: { from: new Date('2026-10-26T00:00:00Z'), to: new Date('2026-11-24T10:00:00Z'), label: 'month' },
  received: 5,
  funnel: { assigned: 4, qualified: 2, opportunity: 2, won: 1, lost: 0, disqualified: 1 },
  rates: { assigned: 0.8, qualified: 0.4, opportunity: 0.4, won: 0.2 },
  firstTouch: { median: 10, p90: 240, touched: 4 },
  byStorefront: { AppSource: 4, AzureMarketplace: 1 },
  byAction: { PLT: 4, INS: 1 },
  byPriority: { low: 1, high: 3, medium: 1 },
  topOffers: [{ offer: '[Analytics](https://evil.example)', count: 3 }],
  byCampaign: [
    {
      campaign: '**spring**',
      received: 3,
      funnel: { assigned: 3, qualified: 2, opportunity: 2, won: 1, lost: 0, disqualified: 0 },
    },
    { received: 2, funnel: { assigned: 1, qualified: 0, opportunity: 0, won: 0, lost: 0, disqualified: 1 } },
  ],
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
      'Not counted above: 1 test lead and 1 do-not-contact lead.',
    ]) {
      assert.ok(shown.includes(expected), `${expected} in ${shown.join(' | ')}`);
    }
    const chart = card.body.find((e) => e.type === 'Chart.HorizontalBar');
    assert.ok(chart);
    assert.equal(chart.fallback, 'drop');
    assert.equal(chart.displayMode, 'AbsoluteNoAxis', 'bar values instead of an axis with fractional ticks');
    assert.deepEqual(
      (chart.data as Array<{ x: string }>).map((d) => d.x),
      ['Received', 'Assigned', 'Qualified', 'Opportunity', 'Won'],
    );
    assert.deepEqual(
      (chart.data as Array<{ y: number }>).map((d) => d.y),
      [5, 4, 2, 2, 1],
    );
  });

  it('lists storefronts and calls to action of equal counts in one order, whatever order they were counted in', () => {
    const render = (s: Summary) =>
      texts(renderSummaryCard(s, { t: translator('en', 'en'), timeZone: 'UTC', now: new Date() })).map(
        (x) => x.text,
      );
    const tied = {
      ...summary,
      byStorefront: { AppSource: 2, AzureMarketplace: 2 },
      byAction: { PLT: 2, INS: 2 },
    };
    const reversed = {
      ...summary,
      byStorefront: { AzureMarketplace: 2, AppSource: 2 },
      byAction: { INS: 2, PLT: 2 },
    };
    assert.deepEqual(render(reversed), render(tied));
  });

  it('draws no bar for a stage nobody reached (a lone "0"), and still lists it as text', () => {
    const early = {
      ...summary,
      received: 1,
      funnel: { ...summary.funnel, assigned: 1, qualified: 0, opportunity: 0, won: 0 },
    };
    const card = renderSummaryCard(early, { t: translator('pt-PT', 'en'), timeZone: 'UTC', now: new Date() });
    const chart = card.body.find((e) => e.type === 'Chart.HorizontalBar');
    assert.deepEqual(chart?.data, [
      { x: 'Recebido', y: 1 },
      { x: 'Atribuído', y: 1 },
    ]);
    assert.ok(
      texts(card).some((x) => x.text === 'Ganho'),
      'the row is still there',
    );
  });

  it('counts by priority, High first, in the reader’s language', () => {
    const rows = (locale: string) => {
      const card = renderSummaryCard(summary, {
        t: translator(locale, 'en'),
        timeZone: 'UTC',
        now: new Date(),
      });
      const shown = texts(card).map((x) => x.text);
      return shown.slice(shown.indexOf(locale === 'en' ? 'By priority' : 'Por prioridade'));
    };
    assert.deepEqual(rows('en').slice(0, 7), [
      'By priority',
      'High priority',
      '3',
      'Medium priority',
      '1',
      'Low priority',
      '1',
    ]);
    assert.deepEqual(rows('pt-PT').slice(0, 3), ['Por prioridade', 'Prioridade alta', '3']);
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
      shown.some((x) => /em aberto: 1 · qualificados: 2 · ganhos: 1 · pipeline 5000,00\s€/.test(x)),
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

describe('renderSummaryCard footnote', () => {
  const footnote = (locale: string, testLeads: number, doNotContact: number) =>
    texts(
      renderSummaryCard(
        { ...summary, testLeads, doNotContact },
        { t: translator(locale, 'en'), timeZone: 'UTC', now: new Date() },
      ),
    )
      .map((x) => x.text)
      .filter((x) => /counted above|contados acima/.test(x));

  it('counts the leads kept apart in words, singular or plural, and says nothing when there are none', () => {
    assert.deepEqual(footnote('en', 0, 0), []);
    assert.deepEqual(footnote('en', 2, 0), ['Not counted above: 2 test leads.']);
    assert.deepEqual(footnote('en', 1, 3), ['Not counted above: 1 test lead and 3 do-not-contact leads.']);
    assert.deepEqual(footnote('pt-PT', 0, 1), [
      'Não contados acima: 1 contacto que pediu para não ser contactado.',
    ]);
    assert.deepEqual(footnote('pt-PT', 2, 2), [
      'Não contados acima: 2 contactos de teste e 2 contactos que pediram para não ser contactados.',
    ]);
    for (const locale of ['en', 'pt-PT']) {
      assert.ok(!footnote(locale, 1, 1).some((x) => x.includes('(s)')), locale);
    }
  });

  it('says "1 lead touched", not "1 leads touched"', () => {
    const one = { ...summary, firstTouch: { median: 5, p90: 5, touched: 1 } };
    const shown = (locale: string) =>
      texts(renderSummaryCard(one, { t: translator(locale, 'en'), timeZone: 'UTC', now: new Date() })).map(
        (x) => x.text,
      );
    assert.ok(shown('en').includes('median 5 min · 90th percentile 5 min · 1 lead touched'));
    assert.ok(shown('pt-PT').includes('mediana 5 min · percentil 90 5 min · 1 contacto tratado'));
  });

  it('breaks the leads down by campaign, names literal, and says so when filtered to one', () => {
    const t = translator('en', 'en');
    const card = renderSummaryCard(summary, { t, timeZone: 'UTC', now: new Date(), campaign: 'spring' });
    const shown = texts(card);
    const all = shown.map((x) => x.text).join('\n');
    assert.match(all, /Campaign: spring/);
    assert.match(
      all,
      /By campaign\n\*\*spring\*\*\n3\n3 assigned · 2 qualified · 2 opportunity · 1 won\nNo campaign\n2/,
    );
    assert.equal(
      shown.find((x) => x.text === '**spring**')?.type,
      'TextRun',
      'a campaign name is not markdown',
    );
    const none = renderSummaryCard(
      { ...summary, byCampaign: [{ received: 5, funnel: summary.funnel }] },
      { t, timeZone: 'UTC', now: new Date() },
    );
    assert.doesNotMatch(
      texts(none)
        .map((x) => x.text)
        .join('\n'),
      /By campaign/,
    );
  });
});
