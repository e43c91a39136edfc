import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ValidationError } from '../../src/errors.js';
import { receiveLead } from '../../src/leads/intake.js';
import type { Lead } from '../../src/leads/lead.js';
import { importPartnerCenterExport } from '../../src/leads/partner-center-import.js';
import { normaliseHeader, parseExportDate } from '../../src/leads/partner-center-rows.js';
import type { ChannelTarget } from '../../src/leads/store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { leadFixture } from '../fixtures/load.js';

const exportFile = (name: string) =>
  readFileSync(new URL(`../fixtures/${name}.csv`, import.meta.url), 'utf8');
const NOW = new Date('2026-12-01T10:00:00Z');
const CHANNEL: ChannelTarget = { teamId: 'team-1', channelId: '19:leads@thread.tacv2' };

/** A store holding the Contact me lead the webhook received on 20 Nov, routed to one channel. */
async function storeWithKnownLead(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.setRouting({ defaultChannel: CHANNEL, byStorefront: {} });
  await receiveLead(store, leadFixture('contact-me'), new Date('2026-11-20T17:00:00Z'));
  return store;
}

describe('importPartnerCenterExport', () => {
  it('reports new, known, repeated-in-file, test and refused rows of a fixture export', async () => {
    const store = await storeWithKnownLead();
    const notices: Array<[ChannelTarget, number]> = [];
    const report = await importPartnerCenterExport(
      { store, now: () => NOW, announce: async (t, n) => void notices.push([t, n]) },
      exportFile('partner-center-export'),
    );
    assert.equal(report.rows, 10);
    assert.equal(report.new, 3);
    assert.equal(report.known, 1);
    assert.equal(report.duplicates, 1);
    assert.equal(report.tests, 1);
    assert.equal(report.repeats, 0);
    assert.deepEqual(
      report.refused.map((r) => r.row),
      [6, 7, 9, 10],
    );
    assert.match(report.refused[0]?.reason ?? '', /e-mail is not an address/);
    assert.match(report.refused[1]?.reason ?? '', /"31\/31\/2026" is not a date/);
    assert.match(report.refused[2]?.reason ?? '', /5 fields where the header has 22/);
    assert.match(report.refused[3]?.reason ?? '', /Profile lead/);
    assert.deepEqual(notices, [[CHANNEL, 3]]);
    assert.equal((await store.listLeads()).length, 4);
  });

  it('stores recovered leads as the webhook would, marked, at their creation time, with a card pending', async () => {
    const store = await storeWithKnownLead();
    const report = await importPartnerCenterExport(
      { store, now: () => NOW },
      exportFile('partner-center-export'),
    );
    const leads = await Promise.all(report.leads.map(async (id) => (await store.getLead(id)) as Lead));
    const [jane, priya, joao] = leads;
    assert.equal(jane?.customer.email, 'jane.doe@fabrikam.example');
    assert.equal(jane?.receivedAt, '2026-11-20T14:03:11.000Z');
    assert.deepEqual(jane?.source, {
      storefront: 'AppSource',
      action: 'PLT',
      offerId: 'contoso.contoso-teams-app',
      raw: 'AppSource',
      rawActionCode: 'Contact me',
    });
    assert.equal(jane?.recovered?.referralId, '5f0c2a7e-1d2b-4c1e-9a1b-2b3c4d5e6f70');
    assert.ok(
      leads.every((lead) => lead.priority?.reasons.length),
      'an imported lead gets its priority on arrival',
    );
    assert.deepEqual(
      jane?.history.map((h) => [h.action, h.by.name, h.to]),
      [['recovered', 'Partner Center export', 'new']],
    );
    assert.deepEqual(
      jane?.deliveries.map((d) => [d.conversationId, d.state]),
      [[CHANNEL.channelId, 'pending']],
    );
    // The note keeps the customer's words; the campaign parameters become fields.
    assert.equal(priya?.description, 'Need SSO, "urgently".');
    assert.equal(priya?.campaign?.name, 'Fall launch');
    assert.equal(priya?.campaign?.id, 'fall-26');
    assert.equal(priya?.source.action, 'INS');
    assert.equal(joao?.receivedAt, '2026-11-18T16:05:00.000Z');
    assert.equal(joao?.source.action, 'StartTestDrive');
  });

  it('adds nothing when the same export is imported again', async () => {
    const store = await storeWithKnownLead();
    await importPartnerCenterExport({ store, now: () => NOW }, exportFile('partner-center-export'));
    const notices: number[] = [];
    const again = await importPartnerCenterExport(
      { store, now: () => NOW, announce: async (_t, n) => void notices.push(n) },
      exportFile('partner-center-export'),
    );
    assert.equal(again.new, 0);
    assert.equal(again.known, 4);
    assert.deepEqual(notices, []);
    assert.equal((await store.listLeads()).length, 4);
  });

  it('matches headers by any case, spacing and the known variants, and names the columns it ignored', async () => {
    const store = new MemoryStore();
    const report = await importPartnerCenterExport(
      { store, now: () => NOW },
      exportFile('partner-center-export-variant'),
    );
    assert.equal(report.new, 2);
    assert.deepEqual(report.ignoredColumns, ['Favourite Colour']);
    const [sam] = await store.findByEmail('sam@example.com');
    assert.equal(sam?.receivedAt, '2026-11-18T16:05:00.000Z');
    assert.equal(sam?.source.action, 'INS');
    assert.equal(sam?.offerTitle, 'Contoso Teams App');
  });

  it('refuses a file without the columns a lead is recognised by, naming them, and stores nothing', async () => {
    const store = new MemoryStore();
    await assert.rejects(
      importPartnerCenterExport({ store, now: () => NOW }, 'Name,Company,Offer name\nAna,Litware,Contoso\n'),
      (error: Error) =>
        error instanceof ValidationError &&
        /e-mail/.test(error.message) &&
        /creation time/.test(error.message) &&
        !/the offer/.test(error.message),
    );
    await assert.rejects(importPartnerCenterExport({ store, now: () => NOW }, ''), /empty/);
    assert.equal((await store.listLeads()).length, 0);
  });

  it('refuses more than 5,000 rows as a whole', async () => {
    const header = 'Email,Offer name,LeadCreationDateTime\n';
    const rows = Array.from({ length: 5001 }, (_, i) => `p${i}@example.com,Offer,2026-11-20T10:00:00Z`).join(
      '\n',
    );
    const store = new MemoryStore();
    await assert.rejects(
      importPartnerCenterExport({ store, now: () => NOW }, header + rows),
      /more than 5000 rows; at most 5000/,
    );
    assert.equal((await store.listLeads()).length, 0);
  });

  it('keeps a returning buyer (same e-mail and offer, days later) on the lead the team has', async () => {
    const store = await storeWithKnownLead();
    const csv =
      'Email,Offer name,LeadCreationDateTime,Call to action\n' +
      'avery.lindqvist@contoso.example.com,Fabrikam Field Service for Teams,2026-11-25T10:00:00Z,Get it now\n';
    const report = await importPartnerCenterExport({ store, now: () => NOW }, csv);
    assert.deepEqual([report.new, report.known, report.repeats], [0, 0, 1]);
    assert.equal((await store.listLeads()).length, 1);
  });
});

describe('reading an export', () => {
  it('normalises header names', () => {
    assert.equal(normaliseHeader(' Customer_Contact Email-Address '), 'customercontactemailaddress');
  });

  it('reads the date formats Partner Center files use, as UTC', () => {
    assert.equal(parseExportDate('2026-11-20T14:03:11Z')?.toISOString(), '2026-11-20T14:03:11.000Z');
    assert.equal(parseExportDate('2026-11-20 14:03:11')?.toISOString(), '2026-11-20T14:03:11.000Z');
    assert.equal(parseExportDate('11/20/2026')?.toISOString(), '2026-11-20T00:00:00.000Z');
    assert.equal(parseExportDate('11/20/2026 12:05 AM')?.toISOString(), '2026-11-20T00:05:00.000Z');
    assert.equal(parseExportDate('11/20/2026 2:05:09 PM')?.toISOString(), '2026-11-20T14:05:09.000Z');
    for (const bad of ['31/31/2026', '2/30/2026', 'yesterday', '13:00 11/20/2026', '11/20/2026 13:00 PM'])
      assert.equal(parseExportDate(bad), undefined, bad);
  });
});
