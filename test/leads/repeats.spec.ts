import assert from 'node:assert/strict';
import { parseMarketplaceLead } from '../../src/leads/marketplace-payload.js';
import { attachRepeat, findRepeatTarget } from '../../src/leads/repeats.js';
import { makeLead } from '../fakes/lead-factory.js';

const now = new Date('2026-11-24T12:00:00Z');
const incoming = (overrides: Record<string, unknown> = {}) =>
  parseMarketplaceLead(
    JSON.stringify({
      UserDetails: { FirstName: 'Avery', Email: 'Avery.Lindqvist@Contoso.example.com' },
      ActionCode: 'INS',
      OfferTitle: 'Fabrikam Field Service for Teams',
      ...overrides,
    }),
  );

describe('repeat leads', () => {
  const first = makeLead({ receivedAt: '2026-11-01T09:00:00Z' });

  it('finds the lead of the same e-mail and offer within 30 days', () => {
    assert.equal(findRepeatTarget([first], incoming(), now)?.id, first.id);
  });

  it('does not merge another offer, an older lead, a lead without e-mail, or a test lead', () => {
    assert.equal(findRepeatTarget([first], incoming({ OfferTitle: 'Other offer' }), now), undefined);
    assert.equal(
      findRepeatTarget([makeLead({ receivedAt: '2026-10-20T09:00:00Z' })], incoming(), now),
      undefined,
    );
    assert.equal(
      findRepeatTarget([first], incoming({ UserDetails: { FirstName: 'Avery' } }), now),
      undefined,
    );
    assert.equal(findRepeatTarget([makeLead({ isTest: true })], incoming(), now), undefined);
  });

  it('records the sighting and keeps do-not-contact once asked', () => {
    const merged = attachRepeat(first, incoming({ ActionCode: 'DNC' }), now);
    assert.equal(merged.repeats?.length, 1);
    assert.equal(merged.doNotContact, true);
    assert.deepEqual(merged.history.at(-1), {
      at: '2026-11-24T12:00:00.000Z',
      by: { aadObjectId: 'system', name: 'Marketplace' },
      action: 'seen_again',
      note: 'DNC',
    });
  });
});
