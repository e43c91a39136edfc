import assert from 'node:assert/strict';
import {
  renderLeadPreview,
  renderLeadResultCard,
  thumbnailText,
} from '../../../src/bot/cards/lead-result-card.js';
import { translator } from '../../../src/i18n/translator.js';
import { makeLead } from '../../fakes/lead-factory.js';

const t = translator('en', 'en');
const view = { t, timeZone: 'UTC', link: 'https://leads.contoso.com/leads/L-7K3Q9' };

/** Every TextBlock's text: what Teams would read as markdown. */
function textBlocks(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(textBlocks);
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const own = record.type === 'TextBlock' && typeof record.text === 'string' ? [record.text] : [];
  return [...own, ...Object.values(record).flatMap(textBlocks)];
}

describe('message extension result card and preview', () => {
  const evil = makeLead({
    customer: {
      firstName: '[Click](https://evil.example)',
      lastName: '<b>Bold</b> **x**',
      company: 'Evil & Co <img src=x onerror=alert(1)>',
      title: '_CEO_',
    },
    offerTitle: '[offer](https://evil.example)',
  });

  it('shows lead text only in literal runs, never in a TextBlock that renders markdown', () => {
    const card = renderLeadResultCard(evil, view);
    for (const text of textBlocks(card.body))
      assert.ok(!text.includes('evil.example') && !text.includes('<b>'), text);
    assert.match(
      JSON.stringify(card),
      /"type":"TextRun","text":"\[Click\]\(https:\/\/evil\.example\) <b>Bold<\/b> \*\*x\*\*"/,
    );
  });

  it('is an Adaptive Card 1.3 with no Action.Execute, no e-mail and no phone', () => {
    const card = renderLeadResultCard(makeLead(), view);
    assert.equal(card.version, '1.3');
    const json = JSON.stringify(card);
    assert.ok(!json.includes('Action.Execute'));
    for (const secret of ['avery.lindqvist@contoso.example.com', '555 0142', 'We want to pilot'])
      assert.ok(!json.includes(secret), secret);
    assert.deepEqual(card.actions, [
      { type: 'Action.OpenUrl', title: 'Open in Lead Assistant', url: view.link },
    ]);
    assert.equal(
      renderLeadResultCard(makeLead(), { t, timeZone: 'UTC' }).actions,
      undefined,
      'no link without BOT_DOMAIN',
    );
  });

  it('writes markup in the thumbnail preview as character references, so it shows literally', () => {
    const preview = renderLeadPreview(evil, t);
    for (const field of [preview.title, preview.subtitle ?? '']) {
      assert.doesNotMatch(field, /[<>[\]*_]|&(?!#\d+;)/, field);
    }
    assert.equal(thumbnailText('A & <b>', 80), 'A &#38; &#60;b&#62;');
    // Only our own words in the text line: status, priority, id.
    assert.equal(preview.text, 'New · High priority · L-7K3Q9');
  });

  it('falls back to the company, then to "Name not given", for the preview title', () => {
    assert.equal(
      renderLeadPreview(makeLead({ customer: { firstName: '', lastName: '' } }), t).title,
      'Contoso Manufacturing',
    );
    const nameless = makeLead({ customer: { firstName: '', lastName: '', company: '' } });
    assert.equal(renderLeadPreview(nameless, t).title, 'Name not given');
  });
});
