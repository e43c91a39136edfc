import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderLeadCard } from '../../src/bot/cards/lead-card.js';
import { translator } from '../../src/i18n/translator.js';
import type { Lead } from '../../src/leads/lead.js';
import { Harness } from '../http/harness.js';

const KNOWN_VERBS = new Set([
  'lead.claim',
  'lead.qualify',
  'lead.won',
  'lead.lost',
  'lead.reopen',
  'lead.refresh',
  'lead.assign',
  'lead.disqualify',
  'lead.opportunity',
  'lead.note',
  'lead.crm',
  'lead.campaign',
]);

/** Keys as Partner Center spells them, in any casing, and some it never sends. */
const key = (name: string) =>
  fc.constantFrom(name, name.toLowerCase(), name.toUpperCase(), name[0]?.toLowerCase() + name.slice(1));
const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom(
    '[x](https://evil.example)',
    '![i](https://evil.example/p.png)',
    '<script>alert(1)</script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax from a stranger must stay literal
    '${x}',
    '\u202Egnp.exe',
    'MSFT_TEST_6384',
    '   ',
    '',
  ),
  fc.string({ minLength: 5000, maxLength: 12000 }),
);
const value = fc.oneof(
  { weight: 6, arbitrary: hostileText },
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.object({ maxDepth: 2 }),
);
const userDetails = fc.dictionary(
  fc.oneof(
    key('FirstName'),
    key('LastName'),
    key('Email'),
    key('Phone'),
    key('Country'),
    key('Company'),
    key('Title'),
    fc.string({ maxLength: 8 }),
  ),
  value,
  { maxKeys: 9 },
);
const leadLike = fc.dictionary(
  fc.oneof(
    key('UserDetails'),
    key('LeadSource'),
    key('ActionCode'),
    key('OfferTitle'),
    key('Description'),
    fc.string({ maxLength: 8 }),
  ),
  fc.oneof(
    value,
    userDetails,
    fc.constantFrom(
      'SPZA-PLT|pub.offer',
      'AzureMarketplace',
      'AzurePortal-Create|x',
      'INS',
      'DNC',
      'StartTestDrive',
    ),
  ),
  { maxKeys: 7 },
);
const body = fc.oneof(
  { weight: 5, arbitrary: leadLike.map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 12 }).map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: leadLike.chain((o) => fc.nat().map((n) => JSON.stringify(o).slice(0, n % 200))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 500 }) },
);

/** What a valid card must be, whatever the lead held. */
function checkCard(lead: Lead): void {
  const card = renderLeadCard(lead, { t: translator('en', 'en'), timeZone: 'UTC' });
  const json = JSON.stringify(card);
  assert.ok(Buffer.byteLength(json) < 28 * 1024, `card for ${lead.id} is ${json.length} bytes`);
  assert.equal(card.version, '1.5');
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.OpenUrl') assert.match(String(n.url), /^(mailto|tel):/);
    if (n.type === 'Action.Execute') assert.ok(KNOWN_VERBS.has(String(n.verb)), String(n.verb));
    if (n.type === 'TextBlock')
      assert.doesNotMatch(String(n.text), /evil\.example|<script>/, 'stranger text in a markdown TextBlock');
    Object.values(n).forEach(walk);
  };
  walk(card);
}

describe('webhook fuzz (property-based)', function () {
  this.timeout(120_000);

  it('never answers 5xx, stores nothing it refuses, and renders a valid card for all it accepts', async () => {
    const harness = await Harness.start();
    try {
      await fc.assert(
        fc.asyncProperty(body, async (raw) => {
          const before = (await harness.app.store.stats()).leads;
          const response = await harness.postLead(raw);
          assert.ok(
            [202, 400, 413].includes(response.status),
            `status ${response.status} for ${raw.slice(0, 200)}`,
          );
          const answer = (await response.json()) as {
            id?: string;
            status?: string;
            error?: { message: string };
          };
          const after = (await harness.app.store.stats()).leads;
          if (response.status === 202) {
            const lead = (await harness.app.store.getLead(answer.id as string)) as Lead;
            assert.equal(
              lead.raw === raw || answer.status === 'duplicate' || lead.repeats !== undefined,
              true,
            );
            checkCard(lead);
          } else {
            assert.equal(after, before, 'a refused body changes nothing');
            assert.ok(answer.error?.message, 'a refusal says what is wrong');
          }
        }),
        { numRuns: 1500, seed: 20261124 },
      );
    } finally {
      await harness.stop();
    }
  });
});
