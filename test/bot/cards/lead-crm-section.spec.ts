import assert from 'node:assert/strict';
import { renderImportReportCard } from '../../../src/bot/cards/import-report-card.js';
import { renderLeadCard } from '../../../src/bot/cards/lead-card.js';
import { translator } from '../../../src/i18n/translator.js';
import type { Actor } from '../../../src/leads/lifecycle.js';
import { cardText } from '../../fakes/card-text.js';
import { makeLead } from '../../fakes/lead-factory.js';

const en = { t: translator('en-US', 'en'), timeZone: 'Europe/Lisbon' };
const pt = { t: translator('pt-PT', 'en'), timeZone: 'Europe/Lisbon' };
const viewer = (isManager: boolean, id = 'aad-megan'): Actor => ({
  aadObjectId: id,
  name: 'Megan Bowen',
  isGuest: false,
  isManager,
});

/** Every node of the card, to find buttons wherever they are. */
function nodes(card: unknown): Array<Record<string, any>> {
  const found: Array<Record<string, any>> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      found.push(node as Record<string, any>);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
}
const buttons = (card: unknown) =>
  nodes(card).filter((n) => typeof n.type === 'string' && n.type.startsWith('Action.'));

describe('the lead card outside Teams: campaign, CRM record, recovered', () => {
  const linked = makeLead({
    campaign: { name: 'Spring launch', id: 'spring-26', source: 'linkedin', medium: 'social', params: {} },
    crm: {
      id: 'OPP-7',
      url: 'https://contoso.crm4.dynamics.com/main.aspx?id=7',
      linkedAt: '2026-11-24T11:00:00.000Z',
      linkedBy: { aadObjectId: 'system', name: 'CRM' },
    },
  });

  it('shows the campaign and the CRM id as facts, and "Open in CRM" opens the stored link', () => {
    const card = renderLeadCard(linked, en);
    assert.match(cardText(card), /Campaign\nSpring launch \(spring-26\) · linkedin \/ social/);
    assert.match(cardText(card), /CRM\nOPP-7/);
    const open = buttons(card).find((b) => b.title === 'Open in CRM');
    assert.deepEqual(
      [open?.type, open?.url],
      ['Action.OpenUrl', 'https://contoso.crm4.dynamics.com/main.aspx?id=7'],
    );
    assert.match(cardText(renderLeadCard(linked, pt)), /Campanha\nSpring launch[\s\S]*Abrir no CRM/);
  });

  it('offers "Link CRM record…" (lead.crm, with the current link) to those who may, "Tag campaign…" to managers only', () => {
    const forms = (card: unknown) =>
      buttons(card)
        .filter((b) => b.type === 'Action.ShowCard')
        .map((b) => [b.title, b.card.actions[0].verb, b.card.body[0].id, b.card.body[0].value]);
    assert.deepEqual(
      forms(renderLeadCard(linked, { ...en, viewer: viewer(true) })).filter(([t]) => /CRM|campaign/.test(t)),
      [
        ['Link CRM record…', 'lead.crm', 'crm', 'https://contoso.crm4.dynamics.com/main.aspx?id=7'],
        ['Tag campaign…', 'lead.campaign', 'campaign', 'Spring launch'],
      ],
    );
    const member = forms(renderLeadCard(linked, { ...en, viewer: viewer(false) })).map(([t]) => t);
    assert.ok(member.includes('Link CRM record…') && !member.includes('Tag campaign…'));
    const owned = makeLead({ status: 'assigned', owner: { aadObjectId: 'aad-alex', name: 'Alex Wilber' } });
    const other = forms(renderLeadCard(owned, { ...en, viewer: viewer(false) })).map(([t]) => t);
    assert.ok(!other.includes('Link CRM record…'), 'not offered on somebody else’s lead');
    assert.deepEqual(forms(renderLeadCard(makeLead({ isTest: true }), en)), []);
  });

  it('shows campaign text literally: a crafted utm_campaign is not a link', () => {
    const card = renderLeadCard(
      makeLead({ campaign: { name: '[win](https://evil.example)', params: {} } }),
      en,
    );
    const run = nodes(card).find((n) => n.type === 'TextRun' && String(n.text).includes('evil'));
    assert.equal(run?.type, 'TextRun');
    assert.ok(!buttons(card).some((b) => String(b.url ?? '').includes('evil')));
  });

  it('says when a lead was recovered from a Partner Center export', () => {
    const lead = makeLead({ recovered: { at: '2026-12-01T10:00:00.000Z', from: 'partner-center-export' } });
    assert.match(
      cardText(renderLeadCard(lead, en)),
      /Recovered from a Partner Center export \(Dec 1, 2026\)/,
    );
    assert.match(cardText(renderLeadCard(lead, pt)), /Recuperado de uma exportação do Partner Center/);
    assert.doesNotMatch(cardText(renderLeadCard(makeLead(), en)), /Recovered/);
  });
});

describe('the import report card', () => {
  it('gives the counts and the refused rows, a long list cut short', () => {
    const refused = Array.from({ length: 12 }, (_, i) => ({
      row: i + 2,
      code: 'no_offer' as const,
      reason: 'it names no offer',
    }));
    refused[1] = { row: 3, code: 'bad_date' as never, reason: 'x', value: '31/31/2026' } as never;
    const card = renderImportReportCard(
      {
        rows: 20,
        new: 5,
        known: 3,
        duplicates: 0,
        repeats: 0,
        tests: 0,
        refused,
        ignoredColumns: [],
        leads: [],
      },
      translator('en', 'en'),
    );
    const facts = nodes(card)
      .find((n) => n.type === 'FactSet')
      ?.facts.map((f: any) => `${f.title}=${f.value}`);
    assert.deepEqual(facts, ['Rows read=20', 'New leads=5', 'Already known=3', 'Refused=12']);
    assert.match(cardText(card), /Row 2: it names no offer/);
    assert.match(cardText(card), /…and 2 more\./);
    assert.match(cardText(card), /Row 3: its creation time “31\/31\/2026” is not a date/);
    assert.doesNotMatch(cardText(card), /Row 12:/);
    const pt = renderImportReportCard(
      {
        rows: 1,
        new: 0,
        known: 0,
        duplicates: 0,
        repeats: 0,
        tests: 0,
        refused: [refused[0] as never],
        ignoredColumns: [],
        leads: [],
      },
      translator('pt-PT', 'en'),
    );
    assert.match(cardText(pt), /Linha 2: não indica a oferta/);
  });
});
