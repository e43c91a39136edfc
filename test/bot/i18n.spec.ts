import assert from 'node:assert/strict';
import { en } from '../../src/i18n/en.js';
import { ptPT } from '../../src/i18n/pt-pt.js';
import { pickLocale, translator } from '../../src/i18n/translator.js';

describe('messages', () => {
  it('has every English message in Portuguese, with the same placeholders', () => {
    for (const [key, english] of Object.entries(en)) {
      const portuguese = ptPT[key as keyof typeof en];
      assert.ok(portuguese?.trim(), `pt-PT is missing ${key}`);
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
      assert.equal(placeholders(portuguese), placeholders(english), `placeholders of ${key}`);
    }
  });

  it('never says "(s)": counts pick their singular or plural form, in both languages', () => {
    for (const [key, text] of [...Object.entries(en), ...Object.entries(ptPT)])
      assert.doesNotMatch(text, /\w\(s\)/, key);
    assert.equal(translator('en', 'en').plural('command.forgotten', 1).includes('1 lead for'), true);
    assert.equal(translator('pt-PT', 'en').plural('command.forgotten', 2).includes('2 contactos'), true);
  });

  it('picks pt-PT for any Portuguese locale and falls back to the configured default', () => {
    assert.equal(pickLocale('pt-BR', 'en'), 'pt-PT');
    assert.equal(pickLocale('pt', 'en'), 'pt-PT');
    assert.equal(pickLocale('fr-FR', 'pt-PT'), 'en');
    assert.equal(pickLocale(undefined, 'pt-PT'), 'pt-PT');
    assert.equal(pickLocale('', 'en'), 'en');
  });

  it('fills placeholders and formats times for the locale and zone', () => {
    const t = translator('pt-PT', 'en');
    assert.equal(
      t('error.leadNotFound', { id: 'L-7K3Q9' }),
      'Não existe o contacto L-7K3Q9. Confirme o identificador no cartão.',
    );
    assert.equal(t.formatTime('2026-07-01T09:42:00Z', 'Europe/Lisbon'), '10:42');
    assert.equal(
      translator('en', 'en').formatDateTime('2026-11-24T10:00:00Z', 'America/New_York'),
      '24 Nov 2026, 05:00',
    );
  });

  it('formats dates and amounts for the viewer’s own locale, words from the catalogue', () => {
    const at = '2026-12-03T15:16:00Z';
    const cases: Array<[string, string, string, string]> = [
      ['en-US', 'Dec 3, 2026, 3:16 PM', '$45,000.00', 'Mar 31, 2027'],
      ['en-GB', '3 Dec 2026, 15:16', 'US$45,000.00', '31 Mar 2027'],
      ['pt-PT', '03/12/2026, 15:16', '45\u00a0000,00\u00a0US$', '31/03/2027'],
    ];
    for (const [locale, dateTime, amount, date] of cases) {
      const t = translator(locale, 'en');
      assert.equal(t.formatDateTime(at, 'UTC'), dateTime, locale);
      assert.equal(t.formatCurrency(45000, 'USD'), JSON.parse(`"${amount}"`), locale);
      assert.equal(t.formatDate('2027-03-31'), date, locale);
    }
    assert.equal(translator('en-us', 'en').intl, 'en-US', 'Teams may send it in lower case');
    assert.equal(translator('en', 'en').intl, 'en-GB', 'a bare language formats as before');
    assert.equal(translator('pt-PT', 'en')('status.won'), 'Ganho');
    for (const odd of ['de-DE', 'en-US-x-<script>', 'xx', '']) {
      assert.equal(translator(odd, 'en').intl, 'en-GB', `${odd}: English words, English formats`);
    }
  });
});
