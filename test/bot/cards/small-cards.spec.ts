import assert from 'node:assert/strict';
import { renderHelpCard } from '../../../src/bot/cards/help-card.js';
import { renderLeadListCard } from '../../../src/bot/cards/lead-list-card.js';
import { renderWelcomeCard } from '../../../src/bot/cards/welcome-card.js';
import { COMMANDS } from '../../../src/bot/commands.js';
import { translator } from '../../../src/i18n/translator.js';
import { cardText } from '../../fakes/card-text.js';
import { makeLead } from '../../fakes/lead-factory.js';

// How the small cards lay out what a narrow Teams column would otherwise break.

const LOCALES = ['en', 'pt-PT'] as const;

describe('the help, welcome and list cards in a narrow column', () => {
  for (const locale of LOCALES) {
    const t = translator(locale, 'en');

    it(`${locale}: help gives each description the card's full width, under its command`, () => {
      const body = renderHelpCard(t, COMMANDS).body;
      assert.ok(!body.some((e) => e.type === 'ColumnSet'), 'no command column squeezing its description');
      for (const row of COMMANDS.flatMap((c) => c.help)) {
        const at = body.findIndex((e) => e.type === 'RichTextBlock' && cardText(e) === row.usage);
        assert.ok(at > 0, `${row.usage} on a line of its own`);
        assert.equal(body[at + 1]?.text, t(row.text), `${row.usage}: its description right under it`);
      }
    });

    it(`${locale}: welcome puts each command on its own line, in monospace, not inside a sentence`, () => {
      const body = renderWelcomeCard(t, { channelName: 'Sales' }).body;
      for (const command of [
        '@Lead Assistant use this channel for leads',
        'use this channel for appsource leads',
      ]) {
        const block = body.find((e) => cardText(e) === command);
        assert.equal(block?.type, 'RichTextBlock', command);
        assert.equal(((block?.inlines ?? []) as Array<{ fontType?: string }>)[0]?.fontType, 'Monospace');
      }
      const sentences = body.filter((e) => e.type === 'TextBlock').map((e) => String(e.text));
      assert.ok(!sentences.some((s) => s.includes('use this channel')), sentences.join(' | '));
    });

    it(`${locale}: a list's ages never leave a lone unit to wrap, and a lead of today says so`, () => {
      const now = new Date('2026-12-03T15:00:00Z');
      const leads = [
        makeLead({ id: 'L-22222', receivedAt: '2026-12-03T09:00:00Z' }),
        makeLead({ id: 'L-33333', fingerprint: 'f3', receivedAt: '2026-11-30T09:00:00Z' }),
      ];
      const text = cardText(renderLeadListCard('Leads', leads, { t, timeZone: 'UTC', now }));
      assert.match(text, new RegExp(`L-22222 · [^\\n]* · ${t('list.ageToday')}\\n`));
      assert.match(text, /L-33333 · [^\n]* · 3\u00a0d\n/);
      assert.doesNotMatch(text, / d\n/, 'no breakable space before the unit');
    });
  }
});
