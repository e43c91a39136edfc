import assert from 'node:assert/strict';
import { ConflictError } from '../../src/errors.js';
import type { Lead } from '../../src/leads/lead.js';
import { type Actor, checkVersion, claimLead, RefusedError } from '../../src/leads/lifecycle.js';
import { makeLead } from '../fakes/lead-factory.js';

const megan: Actor = { aadObjectId: 'aad-megan', name: 'Megan Bowen', isGuest: false, isManager: false };
const now = new Date('2026-11-24T10:42:00.000Z');

function newLead(overrides: Partial<Lead> = {}): Lead {
  return makeLead({ version: 3, ...overrides });
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RefusedError);
    return error.refusal;
  }
  assert.fail('the action was not refused');
}

describe('claimLead', () => {
  it('makes the actor the owner of a new lead and records who and when', () => {
    const claimed = claimLead(newLead(), megan, now);
    assert.equal(claimed.status, 'assigned');
    assert.deepEqual(claimed.owner, { aadObjectId: 'aad-megan', name: 'Megan Bowen' });
    assert.deepEqual(claimed.history.at(-1), {
      at: '2026-11-24T10:42:00.000Z',
      by: { aadObjectId: 'aad-megan', name: 'Megan Bowen' },
      action: 'claim',
      from: 'new',
      to: 'assigned',
    });
  });

  it('refuses guests, do-not-contact and test leads, and leads already taken', () => {
    assert.equal(
      refusal(() => claimLead(newLead(), { ...megan, isGuest: true }, now)),
      'guest',
    );
    assert.equal(
      refusal(() => claimLead(newLead({ doNotContact: true }), megan, now)),
      'do_not_contact',
    );
    assert.equal(
      refusal(() => claimLead(newLead({ isTest: true }), megan, now)),
      'test_lead',
    );
    assert.equal(
      refusal(() => claimLead(newLead({ status: 'assigned' }), megan, now)),
      'not_claimable',
    );
  });

  it('treats a click from an older card as a conflict carrying the current lead', () => {
    const lead = newLead();
    assert.throws(
      () => checkVersion(lead, 2),
      (error: unknown) => error instanceof ConflictError && (error.current as Lead).version === 3,
    );
    assert.doesNotThrow(() => checkVersion(lead, 3));
  });
});
