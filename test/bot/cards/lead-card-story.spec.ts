import assert from 'node:assert/strict';
import { renderLeadCard } from '../../../src/bot/cards/lead-card.js';
import { translator } from '../../../src/i18n/translator.js';
import type { Lead } from '../../../src/leads/lead.js';
import { type Actor, applyAction, type LeadAction } from '../../../src/leads/lifecycle.js';
import { cardText } from '../../fakes/card-text.js';
import { makeLead } from '../../fakes/lead-factory.js';

// What a card says about the lead's story: who did what, when, and what they wrote.

const now = new Date('2026-11-24T15:00:00Z');
const en = { t: translator('en', 'en'), timeZone: 'Europe/Lisbon', now };
const pt = { t: translator('pt-PT', 'en'), timeZone: 'Europe/Lisbon', now };
const megan: Actor = { aadObjectId: 'aad-megan', name: 'Megan Bowen', isGuest: false, isManager: false };
const patti: Actor = { aadObjectId: 'aad-patti', name: 'Patti Fernandez', isGuest: false, isManager: true };

/** The lead after these clicks, each a minute after the last from 10:41 (Lisbon = UTC in November). */
function leadAfter(steps: Array<[Actor, LeadAction]>, lead: Lead = makeLead()): Lead {
  return steps.reduce(
    (current, [actor, action], i) =>
      applyAction(current, action, actor, new Date(Date.UTC(2026, 10, 24, 10, 41 + i))),
    lead,
  );
}

const claimed: Array<[Actor, LeadAction]> = [[megan, { verb: 'claim' }]];
const qualified: Array<[Actor, LeadAction]> = [...claimed, [megan, { verb: 'qualify' }]];
const opportunity: Array<[Actor, LeadAction]> = [
  ...qualified,
  [
    megan,
    {
      verb: 'opportunity',
      opportunity: { value: 45000, currency: 'EUR', notes: 'Pilot for 300 technicians, budget in Q1' },
    },
  ],
];

/** The header's columns: headline, offer and why its priority, then the status and priority badges. */
const header = (card: ReturnType<typeof renderLeadCard>) =>
  (card.body[0] as unknown as { columns: Array<{ items: unknown[] }> }).columns;

/** The status badge at the top right (the priority badge is under it). */
const badge = (card: ReturnType<typeof renderLeadCard>) => cardText(header(card)[1]?.items[0]);

/** The links a card offers. */
function links(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'Action.OpenUrl') found.push(String(n.url));
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('the lead card tells the lead’s story', () => {
  it('shows the disqualification reason with its details, by whom and when', () => {
    const lead = leadAfter([
      ...claimed,
      [megan, { verb: 'disqualify', reason: 'no_budget', note: 'Maybe next year, call in January' }],
    ]);
    const text = cardText(renderLeadCard(lead, en));
    assert.match(text, /Disqualified: No budget · Megan Bowen · 10:42\nMaybe next year, call in January/);
    assert.doesNotMatch(text, /no_budget/, 'the reason code never shows');
    assert.match(
      cardText(renderLeadCard(lead, pt)),
      /Desqualificado: Sem orçamento · Megan Bowen · 10:42\nMaybe next year, call in January/,
    );
    const bare = leadAfter([...claimed, [megan, { verb: 'disqualify', reason: 'spam' }]]);
    assert.match(
      cardText(renderLeadCard(bare, en)),
      /Disqualified: Spam or fake · Megan Bowen · 10:42\nReceived/,
    );
  });

  it('shows the opportunity’s notes, by whom and when, and keeps them once won', () => {
    for (const lead of [leadAfter(opportunity), leadAfter([...opportunity, [megan, { verb: 'won' }]])]) {
      assert.match(
        cardText(renderLeadCard(lead, en)),
        /Opportunity: €45,000\.00\nOpportunity notes from Megan Bowen · 10:43\nPilot for 300 technicians, budget in Q1/,
      );
    }
    assert.match(
      cardText(renderLeadCard(leadAfter(opportunity), pt)),
      /Notas da oportunidade, de Megan Bowen · 10:43\nPilot for 300 technicians/,
    );
  });

  it('shows the latest note, by whom and when', () => {
    const lead = leadAfter([
      [megan, { verb: 'note', note: 'First call went to voicemail' }],
      [patti, { verb: 'note', note: 'Spoke to Avery: demo on Friday' }],
    ]);
    const text = cardText(renderLeadCard(lead, en));
    assert.match(text, /Note from Patti Fernandez · 10:42\nSpoke to Avery: demo on Friday/);
    assert.doesNotMatch(text, /voicemail/);
  });

  it('says the status in one word, as the tab does, and in the owner line whether it was claimed or assigned', () => {
    const mine = renderLeadCard(leadAfter(claimed), en);
    assert.equal(badge(mine), 'Assigned');
    assert.match(cardText(mine), /Claimed by Megan Bowen · 10:41/);
    assert.equal(badge(renderLeadCard(leadAfter(claimed), pt)), 'Atribuído');

    const given = renderLeadCard(leadAfter([[patti, { verb: 'assign', assignee: megan }]]), en);
    assert.equal(badge(given), 'Assigned');
    assert.match(cardText(given), /Assigned to Megan Bowen by Patti Fernandez · 10:41/);
  });

  it('says by whom and when a lead was qualified, won or lost, and who owns it if somebody else', () => {
    const cases: Array<[Array<[Actor, LeadAction]>, string, RegExp]> = [
      [qualified, 'Qualified', /Qualified by Megan Bowen · 10:42/],
      [[...opportunity, [megan, { verb: 'won' }]], 'Won', /Marked won by Megan Bowen · 10:44/],
      [
        [...opportunity, [patti, { verb: 'lost' }]],
        'Lost',
        /Marked lost by Patti Fernandez · 10:44\nOwner: Megan Bowen/,
      ],
    ];
    for (const [steps, status, line] of cases) {
      const card = renderLeadCard(leadAfter(steps), en);
      assert.equal(badge(card), status);
      assert.match(cardText(card), line);
      assert.doesNotMatch(cardText(card), /Claimed by/, `${status}: no stale claim line`);
    }
    assert.match(
      cardText(renderLeadCard(leadAfter([...opportunity, [megan, { verb: 'won' }]]), pt)),
      /Marcado como ganho por Megan Bowen · 10:44/,
    );
  });

  it('never repeats itself in the header', () => {
    const headline = (
      storefront: Lead['source']['storefront'],
      action: Lead['source']['action'],
      view = en,
    ) => {
      const source = { storefront, action, raw: '', rawActionCode: action };
      return cardText(header(renderLeadCard(makeLead({ source }), view))[0]?.items[0]);
    };
    assert.equal(headline('TestDrive', 'StartTestDrive'), 'Test drive');
    assert.equal(headline('AzurePortal', 'Create'), 'Azure portal create');
    assert.equal(headline('AzurePortal', 'Create', pt), 'Criação no portal do Azure');
    assert.equal(headline('AppSource', 'PLT'), 'AppSource · Contact me');
    assert.equal(headline('AzureMarketplace', 'StartTestDrive'), 'Azure Marketplace · Test drive');
  });

  it('shows a do-not-contact lead as FYI: no "not claimed", no link to reach them, no sales actions', () => {
    const dnc = makeLead({
      doNotContact: true,
      source: { storefront: 'AppSource', action: 'DNC', raw: 'AppSource', rawActionCode: 'DNC' },
      customer: { phone: '16175550123', country: 'US' },
    });
    for (const [view, fyi] of [
      [en, 'FYI'],
      [pt, 'Informativo'],
    ] as const) {
      const card = renderLeadCard(dnc, view);
      const text = cardText(card);
      assert.equal(badge(card), fyi);
      assert.doesNotMatch(text, /New|Not claimed|Novo|Ainda ninguém/);
      assert.match(text, /avery\.lindqvist@contoso\.example\.com/, 'shown, for information');
      assert.deepEqual(links(card), [], 'no mailto: or tel:');
      assert.deepEqual(
        (card.actions ?? []).map((a) => a.verb ?? a.card?.actions?.[0]?.verb),
        ['lead.note', 'lead.refresh'],
      );
    }
  });
});

describe('the lead card shows what people typed readably', () => {
  it('shows phone numbers in international format for the lead’s country, linked as E.164', () => {
    const phone = (number: string, country: string) => {
      const card = renderLeadCard(makeLead({ customer: { phone: number, country } }), en);
      return { text: cardText(card), tel: links(card).filter((url) => url.startsWith('tel:')) };
    };
    const us = phone('16175550123', 'US');
    assert.match(us.text, /Phone\n\+1 617 555 0123/);
    assert.deepEqual(us.tel, ['tel:+16175550123']);
    assert.deepEqual(phone('912345678', 'PT').tel, ['tel:+351912345678']);
    assert.match(phone('912345678', 'pt').text, /\+351 912 345 678/);
    assert.match(
      phone('+44 20 7946 0958', 'US').text,
      /\+44 20 7946 0958/,
      'a + number keeps its own country',
    );
    for (const [number, country] of [
      ['1234567890', 'US'],
      ['call me after 5', 'US'],
      ['12', 'PT'],
      ['4255550199', 'Atlantis'],
    ]) {
      const shown = phone(number as string, country as string);
      assert.match(shown.text, new RegExp(`Phone\\n${number}\\n`), `${number} stays as sent`);
      assert.deepEqual(shown.tel, [], `${number} has no link`);
    }
  });

  it('breaks a very long word so it wraps, keeping every character', () => {
    const url = `https://contoso.example.com/${'a1b2c3d4e5'.repeat(20)}?utm=${'x'.repeat(50)}`;
    const lead = leadAfter([[megan, { verb: 'note', note: `See ${url} for the spec` }]]);
    const run = cardText(renderLeadCard(lead, en))
      .split('\n')
      .find((line) => line.startsWith('See '));
    assert.ok(run);
    assert.equal(run.replaceAll('\u200B', ''), `See ${url} for the spec`, 'nothing lost or escaped');
    for (const piece of run.split(/[\s\u200B]/)) assert.ok([...piece].length <= 40, piece);
    const short = leadAfter([[megan, { verb: 'note', note: 'https://contoso.example.com/short' }]]);
    assert.doesNotMatch(cardText(renderLeadCard(short, en)), /\u200B/, 'ordinary words untouched');
  });
});
