import assert from 'node:assert/strict';
import {
  type Actor,
  actRefusal,
  claimRefusal,
  commandRefusal,
  isClaimable,
  isListedManager,
  managersAmong,
  ownerOrManagerRefusal,
} from '../../src/leads/access.js';
import { makeLead } from '../fakes/lead-factory.js';

const megan: Actor = { aadObjectId: 'aad-megan', name: 'Megan Bowen', isGuest: false, isManager: false };
const alex: Actor = { aadObjectId: 'aad-alex', name: 'Alex Wilber', isGuest: false, isManager: true };
const guest: Actor = { aadObjectId: 'aad-guest', name: 'Gina Guest', isGuest: true, isManager: false };

describe('who is a manager', () => {
  // As readConfig gives it: lower-cased.
  const managers = ['0a1b2c3d-0000-0000-0000-00000000c01', 'patti@contoso.com', 'alex.wilber@contoso.com'];

  it('matches an object id, a UPN or an e-mail, in any case', () => {
    assert.ok(isListedManager({ aadObjectId: '0A1B2C3D-0000-0000-0000-00000000C01' }, managers));
    assert.ok(isListedManager({ userPrincipalName: 'Patti@Contoso.com' }, managers));
    assert.ok(
      isListedManager(
        {
          aadObjectId: 'aad-alex',
          userPrincipalName: 'alexw@contoso.onmicrosoft.com',
          email: 'Alex.Wilber@contoso.com',
        },
        managers,
      ),
      'by e-mail, though the UPN differs',
    );
    assert.ok(
      isListedManager([{ aadObjectId: 'aad-x' }, { userPrincipalName: 'patti@contoso.com' }], managers),
    );
  });

  it('matches nobody else, and nobody when MANAGERS is empty', () => {
    assert.equal(isListedManager({ aadObjectId: 'aad-megan', email: 'meganb@contoso.com' }, managers), false);
    assert.equal(isListedManager({ email: 'patti@contoso.com.evil.example' }, managers), false);
    assert.equal(isListedManager({ aadObjectId: '', userPrincipalName: '', email: '' }, ['']), false);
    assert.equal(isListedManager({ userPrincipalName: 'patti@contoso.com' }, []), false);
  });

  it('picks the managers of a roster by the same rule', () => {
    const roster = [
      { id: '29:megan', aadObjectId: 'aad-megan', name: 'Megan', userPrincipalName: 'meganb@contoso.com' },
      {
        id: '29:alex',
        aadObjectId: 'aad-alex',
        name: 'Alex',
        userPrincipalName: 'alexw@contoso.onmicrosoft.com',
        email: 'alex.wilber@contoso.com',
      },
      { id: '29:patti', aadObjectId: 'aad-patti', name: 'Patti', userPrincipalName: 'PATTI@contoso.com' },
    ];
    assert.deepEqual(
      managersAmong(roster, managers).map((m) => m.id),
      ['29:alex', '29:patti'],
    );
  });
});

describe('who may act on a lead', () => {
  const owned = makeLead({ status: 'assigned', owner: { aadObjectId: 'aad-megan', name: 'Megan Bowen' } });
  const other: Actor = { aadObjectId: 'aad-lee', name: 'Lee Gu', isGuest: false, isManager: false };

  it('lets the owner or a manager change an owned lead, anyone but a guest an unowned one', () => {
    assert.equal(ownerOrManagerRefusal(owned, megan), undefined);
    assert.equal(ownerOrManagerRefusal(owned, alex), undefined);
    assert.equal(ownerOrManagerRefusal(owned, other), 'not_owner');
    assert.equal(ownerOrManagerRefusal(owned, guest), 'guest');
    assert.equal(ownerOrManagerRefusal(makeLead(), other), undefined);
    assert.equal(ownerOrManagerRefusal(makeLead(), guest), 'guest');
  });

  it('keeps notes open to members, and test and do-not-contact leads out of sales', () => {
    assert.equal(actRefusal(owned, other, 'note'), undefined);
    assert.equal(actRefusal(owned, other, 'qualify'), 'not_owner');
    assert.equal(actRefusal(owned, guest, 'note'), 'guest');
    assert.equal(actRefusal(makeLead({ isTest: true }), alex, 'note'), 'test_lead');
    assert.equal(actRefusal(makeLead({ doNotContact: true }), alex, 'claim'), 'do_not_contact');
    assert.equal(actRefusal(makeLead({ doNotContact: true }), megan, 'note'), undefined);
  });

  it('calls a lead claimable while it is new, unowned, and neither a test nor do-not-contact', () => {
    assert.ok(isClaimable(makeLead()));
    assert.equal(claimRefusal(makeLead({ status: 'assigned', owner: megan })), 'not_claimable');
    assert.equal(claimRefusal(makeLead({ status: 'disqualified' })), 'not_claimable');
    assert.equal(claimRefusal(makeLead({ isTest: true })), 'test_lead');
    assert.equal(claimRefusal(makeLead({ doNotContact: true })), 'do_not_contact');
    assert.equal(claimRefusal(makeLead({ owner: megan })), 'not_claimable', 'a new lead someone owns');
  });
});

describe('who may use a command', () => {
  const listed = ['alex.wilber@contoso.com'];

  it('lets anyone use the everyday commands', () => {
    for (const actor of [megan, alex, guest])
      assert.equal(commandRefusal('anyone', actor, listed), undefined);
  });

  it('keeps managers’ commands to managers, or to any member but a guest while MANAGERS is empty', () => {
    assert.equal(commandRefusal('managers', alex, listed), undefined);
    assert.equal(commandRefusal('managers', megan, listed), 'managers_only');
    assert.equal(commandRefusal('managers', megan, []), undefined);
    assert.equal(commandRefusal('managers', guest, []), 'managers_only');
  });

  it('keeps erasing data to someone MANAGERS lists, even while it is empty', () => {
    assert.equal(commandRefusal('listed managers', alex, listed), undefined);
    assert.equal(commandRefusal('listed managers', megan, listed), 'managers_only');
    assert.equal(commandRefusal('listed managers', megan, []), 'managers_only');
  });
});
