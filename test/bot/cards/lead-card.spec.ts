import assert from 'node:assert/strict';
import type { CardElement } from '../../../src/bot/cards/adaptive-card.js';
import { renderLeadCard, renderLeadCardFallbackText } from '../../../src/bot/cards/lead-card.js';
import { showPhone } from '../../../src/bot/cards/phone.js';
import { mailtoUrl } from '../../../src/bot/cards/text.js';
import { translator } from '../../../src/i18n/translator.js';
import { makeLead } from '../../fakes/lead-factory.js';

const en = { t: translator('en-US', 'en'), timeZone: 'Europe/Lisbon' };
const pt = { t: translator('pt-PT', 'en'), timeZone: 'Europe/Lisbon' };

/** Every node of the card with its key path, to find where a text ended up. */
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

const texts = (card: unknown) =>
  nodes(card)
    .filter((n) => typeof n.text === 'string')
    .map((n) => n.text as string);
/** Top-level buttons: an Action.Execute's verb, or `form:<verb>` for an Action.ShowCard form. */
const actions = (card: {
  actions?: Array<{ verb?: string; card?: { actions?: Array<{ verb?: string }> } }>;
}) => (card.actions ?? []).map((a) => a.verb ?? `form:${a.card?.actions?.[0]?.verb}`);

describe('renderLeadCard', () => {
  it('leads with storefront and call to action, then the customer and the note', () => {
    const card = renderLeadCard(makeLead(), en);
    const shown = texts(card);
    assert.equal(card.version, '1.5');
    assert.ok(shown.includes('AppSource · Contact me'));
    for (const expected of [
      'Fabrikam Field Service for Teams',
      'Avery Lindqvist',
      'IT Operations Manager · Contoso Manufacturing',
      'We want to pilot in Q3.',
      'Not claimed yet',
    ]) {
      assert.ok(shown.includes(expected), expected);
    }
    assert.ok(
      shown.some((t) => /^Received Nov 24, 2026, 10:00 AM · L-7K3Q9$/.test(t)),
      shown.join(' | '),
    );
  });

  it('offers Claim, carrying the lead id and version, only on a new lead', () => {
    const card = renderLeadCard(makeLead({ version: 4 }), en);
    assert.deepEqual(actions(card), [
      'lead.claim',
      'lead.qualify',
      'form:lead.disqualify',
      'form:lead.note',
      'lead.refresh',
    ]);
    assert.deepEqual(card.actions?.[0]?.data, { leadId: 'L-7K3Q9', version: 4 });
    const claimed = makeLead({
      status: 'assigned',
      owner: { aadObjectId: 'aad-megan', name: 'Megan Bowen' },
      history: [
        {
          at: '2026-11-24T10:42:00.000Z',
          by: { aadObjectId: 'aad-megan', name: 'Megan Bowen' },
          action: 'claim',
          from: 'new',
          to: 'assigned',
        },
      ],
    });
    const after = renderLeadCard(claimed, { ...en, now: new Date('2026-11-24T15:00:00Z') });
    assert.deepEqual(actions(after), [
      'lead.qualify',
      'form:lead.disqualify',
      'form:lead.note',
      'lead.refresh',
    ]);
    assert.ok(texts(after).includes('Claimed by Megan Bowen · 10:42 AM'), 'the same day: the time');
    assert.ok(
      texts(renderLeadCard(claimed, { ...en, now: new Date('2026-11-26T09:00:00Z') })).includes(
        'Claimed by Megan Bowen · Nov 24, 2026, 10:42 AM',
      ),
      'days later: the date too',
    );
  });

  it('offers each viewer only what they may do, and asks Teams for each viewer’s card', () => {
    const owned = makeLead({ status: 'assigned', owner: { aadObjectId: 'aad-megan', name: 'Megan Bowen' } });
    const viewer = (aadObjectId: string, isManager = false) => ({
      aadObjectId,
      name: 'x',
      isGuest: false,
      isManager,
    });
    assert.deepEqual(actions(renderLeadCard(owned, { ...en, viewer: viewer('aad-megan') })), [
      'lead.qualify',
      'form:lead.disqualify',
      'form:lead.note',
      'lead.refresh',
    ]);
    assert.deepEqual(actions(renderLeadCard(owned, { ...en, viewer: viewer('aad-alex') })), [
      'form:lead.note',
      'lead.refresh',
    ]);
    assert.deepEqual(actions(renderLeadCard(owned, { ...en, viewer: viewer('aad-boss', true) })), [
      'lead.qualify',
      'form:lead.disqualify',
      'form:lead.note',
      'lead.refresh',
    ]);
    assert.deepEqual(
      actions(renderLeadCard(owned, { ...en, viewer: { ...viewer('aad-gina'), isGuest: true } })),
      ['lead.refresh'],
    );
    const refresh = renderLeadCard(owned, en).refresh;
    assert.deepEqual(refresh?.action, {
      type: 'Action.Execute',
      title: 'Refresh',
      verb: 'lead.refresh',
      data: { leadId: 'L-7K3Q9', version: 1 },
    });
    assert.equal(refresh?.userIds, undefined, 'automatic for everyone in channels up to 60 members');
  });

  it('shows a do-not-contact lead as FYI without sales actions, and a test lead without any', () => {
    const dnc = renderLeadCard(
      makeLead({
        doNotContact: true,
        source: { storefront: 'AppSource', action: 'DNC', raw: 'AppSource', rawActionCode: 'DNC' },
      }),
      en,
    );
    assert.ok(texts(dnc).some((t) => /asked not to be contacted/.test(t)));
    assert.deepEqual(actions(dnc), ['form:lead.note', 'lead.refresh']);
    const test = renderLeadCard(makeLead({ isTest: true }), en);
    assert.ok(texts(test).some((t) => /Test lead from Partner Center/.test(t)));
    assert.deepEqual(actions(test), []);
  });

  it('is in European Portuguese for a pt-PT user', () => {
    const shown = texts(renderLeadCard(makeLead(), pt));
    assert.ok(shown.includes('AppSource · Contacte-me'));
    assert.ok(shown.includes('Ainda ninguém o assumiu'));
    assert.ok(
      shown.some((t) => /^Recebido 24\/11\/2026, 10:00 · L-7K3Q9$/.test(t)),
      shown.join(' | '),
    );
    assert.equal(renderLeadCard(makeLead(), pt).actions?.[0]?.title, 'Assumir');
  });

  it('shows strangers’ text literally: never in a markdown TextBlock, never as a link', () => {
    const hostile =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax from a stranger must stay literal
      '[click](https://evil.example) **bold** <b>html</b> ${lead.id} ![img](https://evil.example/x.png)';
    const lead = makeLead({
      offerTitle: hostile,
      description: hostile,
      customer: {
        firstName: hostile,
        lastName: '\u202Egnp.exe\u200B',
        company: hostile,
        email: 'not an email <x@evil.example>',
        phone: 'javascript:alert(1)',
      },
    });
    const card = renderLeadCard(lead, en);
    for (const node of nodes(card)) {
      if (typeof node.text === 'string' && node.text.includes('evil.example')) {
        assert.equal(node.type, 'TextRun', `hostile text only in TextRuns, found in ${node.type}`);
      }
      if (node.type === 'Action.OpenUrl') assert.fail(`unexpected link ${node.url}`);
    }
    const runs = texts(card);
    assert.ok(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax from a stranger must stay literal
      runs.some((t) => t.startsWith('[click](https://evil.example) **bold** <b>html</b> ${lead.id}')),
    );
    assert.ok(
      runs.some((t) => t.includes('gnp.exe') && !/[\u202E\u200B]/.test(t)),
      'bidi and zero-width characters removed',
    );
  });

  it('keeps a card with 10,000-character fields and emoji readable and under 28 KB', () => {
    const long = '🦄'.repeat(10_000);
    const card = renderLeadCard(
      makeLead({
        offerTitle: long,
        description: long,
        customer: { firstName: long, company: long, title: long },
      }),
      en,
    );
    const size = Buffer.byteLength(JSON.stringify(card));
    assert.ok(size < 28 * 1024, `card is ${size} bytes`);
    assert.ok(
      texts(card).some((t) => t.endsWith('…') && [...t.replaceAll('\u200B', '')].length <= 120),
      'name cut with an ellipsis',
    );
  });

  it('links only e-mail addresses and phone numbers that are plainly valid', () => {
    const card = renderLeadCard(makeLead(), en);
    const links = nodes(card)
      .filter((n) => n.type === 'Action.OpenUrl')
      .map((n) => n.url);
    assert.deepEqual(links, ['mailto:avery.lindqvist@contoso.example.com', 'tel:+14255550142']);
    assert.equal(mailtoUrl('a@b.co?subject=x'), undefined);
    assert.equal(mailtoUrl('"a"@b.co'), undefined);
    assert.equal(showPhone('call me maybe', 'US').url, undefined);
  });

  it('shows the priority as a badge and its reasons on one line, in the reader’s language', () => {
    const lead = makeLead({ customer: { title: 'CTO' } });
    const shownEn = texts(renderLeadCard(lead, en));
    assert.ok(shownEn.includes('High priority'), shownEn.join(' | '));
    assert.ok(shownEn.includes('Contact me · senior title · company e-mail'));
    const shownPt = texts(renderLeadCard(lead, pt));
    assert.ok(shownPt.includes('Prioridade alta'));
    assert.ok(shownPt.includes('Contacte-me · cargo de direção · e-mail da empresa'), shownPt.join(' | '));
  });

  it('gives an old lead without a stored priority one, and ranks no do-not-contact or test lead', () => {
    const low = makeLead({ customer: { email: 'a@gmail.com', title: 'Student', phone: '', company: '' } });
    assert.equal(low.priority, undefined);
    assert.ok(texts(renderLeadCard(low, en)).includes('Low priority'));
    for (const lead of [makeLead({ doNotContact: true }), makeLead({ isTest: true })])
      assert.ok(!texts(renderLeadCard(lead, en)).some((t) => /priority/i.test(t)));
  });

  it('reads the country by code or name: the phone formatted in it, the country named for the reader', () => {
    const lead = makeLead({ customer: { country: 'USA', phone: '16175550123' } });
    const shownEn = texts(renderLeadCard(lead, en));
    assert.ok(shownEn.includes('+1 617 555 0123'), shownEn.join(' | '));
    assert.ok(shownEn.includes('United States'));
    const byName = makeLead({ customer: { country: 'Estados Unidos', phone: '16175550123' } });
    assert.ok(texts(renderLeadCard(byName, pt)).includes('Estados Unidos'));
    assert.equal(showPhone('16175550123', 'United States').url, 'tel:+16175550123');
  });

  it('has a notification line without personal data', () => {
    const line = renderLeadCardFallbackText(makeLead(), en.t);
    assert.equal(line, 'New lead: Contact me · Fabrikam Field Service for Teams');
  });

  it('puts a notice on top when the card was out of date', () => {
    const card = renderLeadCard(makeLead(), { ...en, notice: 'Megan Bowen changed this at 10:42' });
    const first = card.body[1] as CardElement;
    assert.equal(first.style, 'warning');
    assert.ok(texts(first).includes('Megan Bowen changed this at 10:42'));
  });
});
