import assert from 'node:assert/strict';
import { ConflictError } from '../../src/errors.js';
import type { Lead } from '../../src/leads/lead.js';
import {
  type Actor,
  applyAction,
  availableVerbs,
  checkVersion,
  claimLead,
  RefusedError,
} from '../../src/leads/lifecycle.js';
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

describe('applyAction', () => {
  const alex: Actor = { aadObjectId: 'aad-alex', name: 'Alex Wilber', isGuest: false, isManager: false };
  const boss: Actor = { aadObjectId: 'aad-boss', name: 'Patti Fernandez', isGuest: false, isManager: true };
  const owned = (status: Lead['status'], extra: Partial<Lead> = {}) =>
    newLead({ status, owner: { aadObjectId: 'aad-megan', name: 'Megan Bowen' }, ...extra });

  it('walks new → assigned → qualified → opportunity → won, one history entry per step', () => {
    let lead = newLead();
    lead = applyAction(lead, { verb: 'claim' }, megan, now);
    lead = applyAction(lead, { verb: 'qualify' }, megan, now);
    lead = applyAction(
      lead,
      { verb: 'opportunity', opportunity: { value: 45000, currency: 'EUR', expectedClose: '2027-03-31' } },
      megan,
      now,
    );
    lead = applyAction(lead, { verb: 'won' }, megan, now);
    assert.equal(lead.status, 'won');
    assert.deepEqual(lead.opportunity, { value: 45000, currency: 'EUR', expectedClose: '2027-03-31' });
    assert.deepEqual(
      lead.history.map((h) => [h.action, h.from, h.to]),
      [
        ['claim', 'new', 'assigned'],
        ['qualify', 'assigned', 'qualified'],
        ['opportunity', 'qualified', 'opportunity'],
        ['won', 'opportunity', 'won'],
      ],
    );
  });

  it('makes whoever qualifies an unowned lead its owner', () => {
    const lead = applyAction(newLead(), { verb: 'qualify' }, alex, now);
    assert.equal(lead.owner?.name, 'Alex Wilber');
  });

  it('assigns to a team member, and a manager may reassign somebody else’s lead', () => {
    const assigned = applyAction(
      newLead(),
      { verb: 'assign', assignee: { aadObjectId: 'aad-megan', name: 'Megan Bowen' } },
      alex,
      now,
    );
    assert.deepEqual([assigned.status, assigned.owner?.name], ['assigned', 'Megan Bowen']);
    const moved = applyAction(
      assigned,
      { verb: 'assign', assignee: { aadObjectId: 'aad-alex', name: 'Alex Wilber' } },
      boss,
      now,
    );
    assert.equal(moved.owner?.name, 'Alex Wilber');
    assert.equal(moved.history.at(-1)?.note, 'Alex Wilber');
  });

  it('refuses changes to somebody else’s lead, except notes', () => {
    for (const action of [
      { verb: 'qualify' },
      { verb: 'disqualify', reason: 'spam' },
      { verb: 'assign', assignee: { aadObjectId: 'aad-alex', name: 'Alex' } },
    ] as const) {
      assert.equal(
        refusal(() => applyAction(owned('assigned'), action, alex, now)),
        'not_owner',
        action.verb,
      );
    }
    const noted = applyAction(owned('assigned'), { verb: 'note', note: 'Called, voicemail.' }, alex, now);
    assert.deepEqual([noted.status, noted.history.at(-1)?.note], ['assigned', 'Called, voicemail.']);
  });

  it('refuses transitions the status does not allow, with the reason', () => {
    assert.equal(
      refusal(() => applyAction(owned('assigned'), { verb: 'won' }, megan, now)),
      'wrong_status',
    );
    assert.equal(
      refusal(() => applyAction(owned('won'), { verb: 'disqualify', reason: 'spam' }, megan, now)),
      'wrong_status',
    );
    assert.equal(
      refusal(() => applyAction(owned('new'), { verb: 'reopen' }, megan, now)),
      'wrong_status',
    );
    assert.equal(
      refusal(() =>
        applyAction(
          owned('assigned'),
          { verb: 'opportunity', opportunity: { value: 1, currency: 'EUR' } },
          megan,
          now,
        ),
      ),
      'wrong_status',
    );
    assert.equal(
      refusal(() => applyAction(newLead(), { verb: 'note', note: 'x' }, { ...megan, isGuest: true }, now)),
      'guest',
    );
  });

  it('disqualifies any open lead with its reason, and reopens it to its owner', () => {
    const out = applyAction(
      owned('opportunity'),
      { verb: 'disqualify', reason: 'no_budget', note: 'Next year' },
      megan,
      now,
    );
    assert.deepEqual(
      [out.status, out.disqualifyReason, out.history.at(-1)?.note],
      ['disqualified', 'no_budget', 'no_budget: Next year'],
    );
    const back = applyAction(out, { verb: 'reopen' }, megan, now);
    assert.deepEqual([back.status, back.disqualifyReason], ['assigned', undefined]);
    assert.equal(applyAction(newLead({ status: 'lost' }), { verb: 'reopen' }, megan, now).status, 'new');
  });

  it('lists the verbs a card should offer for each status', () => {
    const always = ['crm', 'campaign'];
    assert.deepEqual(availableVerbs(newLead()), [
      'claim',
      'assign',
      'qualify',
      'disqualify',
      'note',
      ...always,
    ]);
    assert.deepEqual(availableVerbs(owned('opportunity')), [
      'assign',
      'disqualify',
      'won',
      'lost',
      'note',
      ...always,
    ]);
    assert.deepEqual(availableVerbs(owned('lost')), ['note', 'reopen', ...always]);
    assert.deepEqual(availableVerbs(newLead({ doNotContact: true })), ['note']);
    assert.deepEqual(availableVerbs(newLead({ isTest: true })), []);
  });
});
