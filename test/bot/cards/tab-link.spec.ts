import assert from 'node:assert/strict';
import { renderLeadCard } from '../../../src/bot/cards/lead-card.js';
import { translator } from '../../../src/i18n/translator.js';
import { tabDeepLink } from '../../../src/leads/lead-links.js';
import { makeLead } from '../../fakes/lead-factory.js';

const APP_ID = '3f2a8c1e-5b7d-4e9a-8c6f-1a2b3c4d5e6f';

describe('Open in Lead Assistant', () => {
  it('is a Teams deep link to the personal Leads tab, carrying the lead id as its sub-entity', () => {
    const url = new URL(tabDeepLink(APP_ID, 'L-7K3Q9'));
    assert.equal(url.origin, 'https://teams.microsoft.com');
    assert.equal(url.pathname, `/l/entity/${APP_ID}/leads`);
    assert.deepEqual(JSON.parse(url.searchParams.get('context') ?? ''), { subEntityId: 'L-7K3Q9' });
    assert.match(url.search, /context=%7B%22subEntityId%22%3A%22L-7K3Q9%22%7D/, 'URL-encoded');
  });

  it('is the card’s last button, in English and European Portuguese', () => {
    for (const [locale, title] of [
      ['en-US', 'Open in Lead Assistant'],
      ['pt-PT', 'Abrir no Lead Assistant'],
    ] as const) {
      const card = renderLeadCard(makeLead(), {
        t: translator(locale, 'en'),
        timeZone: 'UTC',
        appId: APP_ID,
      });
      const last = card.actions?.at(-1);
      assert.equal(last?.type, 'Action.OpenUrl');
      assert.equal(last?.title, title);
      assert.equal(last?.url, tabDeepLink(APP_ID, 'L-7K3Q9'));
    }
  });

  it('is left out without a Teams app (local mode) and on test leads', () => {
    const t = translator('en', 'en');
    const local = renderLeadCard(makeLead(), { t, timeZone: 'UTC' });
    assert.ok(!local.actions?.some((a) => a.type === 'Action.OpenUrl'));
    const test = renderLeadCard(makeLead({ isTest: true }), { t, timeZone: 'UTC', appId: APP_ID });
    assert.ok(!test.actions?.some((a) => a.type === 'Action.OpenUrl'));
  });
});

describe('Copy link', () => {
  const t = translator('en', 'en');
  const copyLink = (card: ReturnType<typeof renderLeadCard>) =>
    card.actions?.find((a) => a.type === 'Action.ShowCard' && a.title === 'Copy link');

  it('shows the lead link (https://BOT_DOMAIN/leads/<id>) ready to select, before Open in Lead Assistant', () => {
    const card = renderLeadCard(makeLead(), {
      t,
      timeZone: 'UTC',
      appId: APP_ID,
      botDomain: 'leads.contoso.com',
    });
    const action = copyLink(card);
    assert.ok(action, 'a Copy link button');
    assert.deepEqual(action.card?.body, [
      {
        type: 'Input.Text',
        id: 'leadLink',
        value: 'https://leads.contoso.com/leads/L-7K3Q9',
        label: t('card.copyLinkHint'),
      },
    ]);
    assert.equal(card.actions?.at(-1)?.title, 'Open in Lead Assistant');
    const pt = renderLeadCard(makeLead(), {
      t: translator('pt-PT', 'en'),
      timeZone: 'UTC',
      botDomain: 'x.example',
    });
    assert.ok(pt.actions?.some((a) => a.title === 'Copiar ligação'));
  });

  it('is left out without BOT_DOMAIN and on test leads', () => {
    assert.equal(copyLink(renderLeadCard(makeLead(), { t, timeZone: 'UTC' })), undefined);
    const test = renderLeadCard(makeLead({ isTest: true }), { t, timeZone: 'UTC', botDomain: 'x.example' });
    assert.equal(copyLink(test), undefined);
  });
});
