import assert from 'node:assert/strict';
import type { HistoryEntry, Lead, LeadStatus } from '../../src/leads/lead.js';
import { parsePeriod, startOfDay } from '../../src/leads/period.js';
import { percentile, summarize } from '../../src/leads/reports.js';
import { makeLead } from '../fakes/lead-factory.js';

const megan = { aadObjectId: 'aad-megan', name: 'Megan Bowen' };
const alex = { aadObjectId: 'aad-alex', name: 'Alex Wilber' };

/** A lead received at `at` that went through `steps` ([status, minutes after arrival]). */
function lead(id: string, at: string, steps: Array<[LeadStatus, number]>, extra: Partial<Lead> = {}): Lead {
  const t0 = Date.parse(at);
  const history: HistoryEntry[] = steps.map(([to, minutes], i) => ({
    at: new Date(t0 + minutes * 60_000).toISOString(),
    by: extra.owner ?? megan,
    action: i === 0 ? 'claim' : to,
    to,
  }));
  const status = steps.at(-1)?.[0] ?? 'new';
  return makeLead({
    id,
    receivedAt: at,
    history,
    status,
    ...(steps.length ? { owner: megan } : {}),
    ...extra,
  });
}

const period = {
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-11-08T00:00:00Z'),
  label: 'test',
};

describe('summarize', () => {
  const leads = [
    lead(
      'L-AAAAA',
      '2026-11-02T09:00:00Z',
      [
        ['assigned', 10],
        ['qualified', 60],
        ['opportunity', 120],
        ['won', 600],
      ],
      {
        offerTitle: 'Analytics',
        opportunity: { value: 1000, currency: 'EUR' },
      },
    ),
    lead(
      'L-BBBBB',
      '2026-11-03T09:00:00Z',
      [
        ['assigned', 30],
        ['qualified', 90],
        ['opportunity', 100],
      ],
      {
        offerTitle: 'Analytics',
        opportunity: { value: 5000, currency: 'EUR' },
      },
    ),
    lead(
      'L-CCCCC',
      '2026-11-04T09:00:00Z',
      [
        ['assigned', 240],
        ['disqualified', 300],
      ],
      { offerTitle: 'Field Service' },
    ),
    lead('L-DDDDD', '2026-11-05T09:00:00Z', [], {
      offerTitle: 'Field Service',
      source: { storefront: 'AzureMarketplace', action: 'INS', raw: '', rawActionCode: 'INS' },
    }),
    lead('L-EEEEE', '2026-11-06T09:00:00Z', [['assigned', 5]], { owner: alex, offerTitle: 'Analytics' }),
    lead('L-TTTTT', '2026-11-06T10:00:00Z', [], { isTest: true }),
    lead('L-NNNNN', '2026-11-06T11:00:00Z', [], { doNotContact: true }),
    lead('L-OLDDD', '2026-10-31T23:59:59Z', [['assigned', 1]]),
    lead('L-LATER', '2026-11-08T00:00:00Z', []),
  ];

  it('computes the funnel, rates and first-touch times of the period, test and DNC leads apart', () => {
    const s = summarize(leads, period);
    assert.equal(s.received, 5);
    assert.deepEqual(s.funnel, {
      assigned: 4,
      qualified: 2,
      opportunity: 2,
      won: 1,
      lost: 0,
      disqualified: 1,
    });
    assert.deepEqual(s.rates, { assigned: 0.8, qualified: 0.4, opportunity: 0.4, won: 0.2 });
    assert.deepEqual(s.firstTouch, { median: 10, p90: 240, touched: 4 });
    assert.equal(s.testLeads, 1);
    assert.equal(s.doNotContact, 1);
  });

  it('counts ranked leads by priority, computing it for leads stored before priorities', () => {
    const at = '2026-11-02T09:00:00Z';
    const low = { level: 'low' as const, score: 0, reasons: [] };
    const s = summarize(
      [
        lead('L-P0001', at, []),
        lead('L-P0002', at, [], { priority: low }),
        lead('L-P0003', at, [], { customer: { ...makeLead().customer, email: 'a@gmail.com', title: '' } }),
        lead('L-P0004', at, [], { doNotContact: true }),
      ],
      period,
    );
    assert.deepEqual(s.byPriority, { high: 1, low: 1, medium: 1 });
  });

  it('breaks leads down by storefront, call to action, offer and owner', () => {
    const s = summarize(leads, period);
    assert.deepEqual(s.byStorefront, { AppSource: 4, AzureMarketplace: 1 });
    assert.deepEqual(s.byAction, { PLT: 4, INS: 1 });
    assert.deepEqual(s.topOffers, [
      { offer: 'Analytics', count: 3 },
      { offer: 'Field Service', count: 2 },
    ]);
    assert.deepEqual(s.owners, [
      { name: 'Megan Bowen', open: 1, qualified: 2, won: 1, pipeline: { EUR: 5000 } },
      { name: 'Alex Wilber', open: 1, qualified: 0, won: 0, pipeline: {} },
    ]);
    assert.deepEqual(
      s.oldestUntouched.map((u) => u.id),
      ['L-DDDDD'],
    );
  });

  it('filters by offer, and handles an empty period and a single lead', () => {
    assert.equal(summarize(leads, period, 'field').received, 2);
    const empty = summarize(leads, {
      ...period,
      from: new Date('2025-01-01T00:00:00Z'),
      to: new Date('2025-01-02T00:00:00Z'),
    });
    assert.equal(empty.received, 0);
    assert.deepEqual(empty.rates, { assigned: 0, qualified: 0, opportunity: 0, won: 0 });
    assert.deepEqual(empty.firstTouch, { touched: 0 });
    const one = summarize([leads[0] as Lead], period);
    assert.deepEqual(
      [one.received, one.firstTouch.median, one.firstTouch.p90, one.rates.won],
      [1, 10, 10, 1],
    );
  });

  it('takes nearest-rank percentiles', () => {
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9);
    assert.equal(percentile([5], 0.5), 5);
  });
});

describe('parsePeriod', () => {
  const now = new Date('2026-11-24T10:30:00Z');

  it('reads today, week, month, Nd and date ranges in the configured time zone', () => {
    assert.equal(parsePeriod('today', now, 'UTC')?.from.toISOString(), '2026-11-24T00:00:00.000Z');
    assert.equal(
      parsePeriod('', now, 'UTC')?.from.toISOString(),
      '2026-11-18T00:00:00.000Z',
      'week by default',
    );
    assert.equal(parsePeriod('month', now, 'UTC')?.from.toISOString(), '2026-10-26T00:00:00.000Z');
    assert.equal(parsePeriod('3d', now, 'UTC')?.from.toISOString(), '2026-11-22T00:00:00.000Z');
    const range = parsePeriod('2026-11-01..2026-11-15', now, 'Europe/Lisbon');
    assert.deepEqual(
      [range?.from.toISOString(), range?.to.toISOString()],
      ['2026-11-01T00:00:00.000Z', '2026-11-16T00:00:00.000Z'],
    );
  });

  it('starts the day at local midnight, across time zones and DST', () => {
    assert.equal(
      parsePeriod('today', now, 'America/New_York')?.from.toISOString(),
      '2026-11-24T05:00:00.000Z',
    );
    assert.equal(
      parsePeriod('today', new Date('2026-11-24T02:00:00Z'), 'Asia/Tokyo')?.from.toISOString(),
      '2026-11-23T15:00:00.000Z',
    );
    assert.equal(
      startOfDay(new Date('2026-07-01T12:00:00Z'), 'Europe/Lisbon').toISOString(),
      '2026-06-30T23:00:00.000Z',
    );
    assert.equal(
      startOfDay(new Date('2026-03-29T12:00:00Z'), 'Europe/Lisbon').toISOString(),
      '2026-03-29T00:00:00.000Z',
      'the day summer time starts',
    );
  });

  it('refuses what is not a period', () => {
    for (const text of [
      'yesterday-ish',
      '0d',
      '99999d',
      '2026-02-30..2026-03-01',
      '2026-03-02..2026-03-01',
    ]) {
      assert.equal(parsePeriod(text, now, 'UTC'), undefined, text);
    }
  });
});

describe('summarize by campaign', () => {
  // Seven leads in the week: three from the spring campaign (one won, one qualified, one new), two
  // from a campaign known only by its id, one untagged that was disqualified, one test lead.
  const spring = { name: 'Spring launch', id: 'spring-26', params: {} };
  const leads = [
    lead(
      'L-C0001',
      '2026-11-02T09:00:00Z',
      [
        ['assigned', 5],
        ['qualified', 30],
        ['opportunity', 60],
        ['won', 90],
      ],
      { campaign: spring },
    ),
    lead(
      'L-C0002',
      '2026-11-03T09:00:00Z',
      [
        ['assigned', 5],
        ['qualified', 30],
      ],
      { campaign: spring },
    ),
    lead('L-C0003', '2026-11-04T09:00:00Z', [], { campaign: spring }),
    lead('L-C0004', '2026-11-04T10:00:00Z', [['assigned', 5]], {
      campaign: { id: 'ads-7', params: { mktcmpid: 'ads-7' } },
    }),
    lead('L-C0005', '2026-11-05T10:00:00Z', [], { campaign: { id: 'ads-7', params: { mktcmpid: 'ads-7' } } }),
    lead('L-C0006', '2026-11-05T11:00:00Z', [['disqualified', 20]]),
    lead('L-C0007', '2026-11-05T12:00:00Z', [], { isTest: true, campaign: spring }),
  ];

  it('counts leads per campaign with their funnel, most leads first, the untagged last', () => {
    const s = summarize(leads, period);
    assert.deepEqual(
      s.byCampaign.map((c) => [
        c.campaign,
        c.received,
        c.funnel.assigned,
        c.funnel.qualified,
        c.funnel.won,
        c.funnel.disqualified,
      ]),
      [
        ['Spring launch', 3, 2, 2, 1, 0],
        ['ads-7', 2, 1, 0, 0, 0],
        [undefined, 1, 0, 0, 0, 1],
      ],
    );
  });

  it('filters to one campaign by its name or id, in any case', () => {
    const byName = summarize(leads, period, undefined, '  spring   LAUNCH ');
    assert.deepEqual(
      [byName.received, byName.funnel.qualified, byName.funnel.won, byName.testLeads],
      [3, 2, 1, 1],
    );
    assert.equal(summarize(leads, period, undefined, 'SPRING-26').received, 3);
    assert.equal(summarize(leads, period, undefined, 'ads-7').received, 2);
    assert.equal(summarize(leads, period, undefined, 'spring').received, 0, 'a name, not a prefix');
  });
});
