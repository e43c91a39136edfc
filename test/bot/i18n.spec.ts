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
});
