import assert from 'node:assert/strict';
import { type BusinessHours, businessMinutesBetween } from '../../src/leads/business-time.js';
import type { Delivery } from '../../src/leads/lead.js';
import { dueReminders, type ReminderPolicy } from '../../src/leads/reminders.js';
import { makeLead } from '../fakes/lead-factory.js';

const hours: BusinessHours = {
  start: 9 * 60,
  end: 18 * 60,
  days: [1, 2, 3, 4, 5],
  timeZone: 'Europe/Lisbon',
};
const policy: ReminderPolicy = { hours, contactMeMinutes: 60, otherMinutes: 240, nudgeAfterDays: 2 };
const megan = { aadObjectId: 'aad-megan', name: 'Megan Bowen' };

describe('business time', () => {
  it('counts only business hours of business days, in the zone', () => {
    // Friday 17:00 → Monday 10:00 Lisbon (UTC in November): 1 h on Friday + 1 h on Monday.
    assert.equal(
      businessMinutesBetween(new Date('2026-11-27T17:00:00Z'), new Date('2026-11-30T10:00:00Z'), hours),
      120,
    );
    assert.equal(
      businessMinutesBetween(new Date('2026-11-28T10:00:00Z'), new Date('2026-11-29T20:00:00Z'), hours),
      0,
      'weekend',
    );
    assert.equal(
      businessMinutesBetween(new Date('2026-07-01T07:00:00Z'), new Date('2026-07-01T09:00:00Z'), hours),
      60,
      'summer: 09:00 local is 08:00 UTC',
    );
  });
});

describe('dueReminders', () => {
  const posted: Delivery[] = [
    { teamId: 't', conversationId: 'c', state: 'posted', attempts: 1, activityId: '1', threadId: 'c;m=1' },
  ];
  const contactMe = makeLead({ id: 'L-22222', receivedAt: '2026-11-24T09:00:00Z', deliveries: posted });
  const getItNow = makeLead({
    id: 'L-33333',
    receivedAt: '2026-11-24T09:00:00Z',
    deliveries: posted,
    source: { storefront: 'AzureMarketplace', action: 'INS', raw: '', rawActionCode: 'INS' },
  });
  const kinds = (now: string, leads = [contactMe, getItNow]) =>
    dueReminders(leads, new Date(now), policy).map((d) => `${d.lead.id}:${d.kind}`);

  it('re-announces an unclaimed lead after its SLA (Contact me 1 h, others 4 h), then escalates after a second period', () => {
    assert.deepEqual(kinds('2026-11-24T09:59:00Z'), []);
    assert.deepEqual(kinds('2026-11-24T10:00:00Z'), ['L-22222:announce']);
    assert.deepEqual(kinds('2026-11-24T13:00:00Z'), ['L-22222:escalate', 'L-33333:announce']);
    const announced = { ...contactMe, reminders: { announcedAt: '2026-11-24T10:00:00Z' } };
    assert.deepEqual(kinds('2026-11-24T10:30:00Z', [announced]), [], 'once');
  });

  it('waits for the card: a lead not posted yet (no channel, Teams down) gets no reminder', () => {
    const unposted = { ...contactMe, deliveries: [{ ...posted[0], state: 'pending' } as Delivery] };
    assert.deepEqual(kinds('2026-11-24T13:00:00Z', [unposted, { ...getItNow, deliveries: [] }]), []);
  });

  it('leaves leads older than 30 days alone, so an upgrade does not flood the team with old news', () => {
    assert.deepEqual(kinds('2026-12-30T10:00:00Z'), []);
  });

  it('stops the moment the lead moves, and skips test and do-not-contact leads', () => {
    const claimed = {
      ...contactMe,
      status: 'assigned' as const,
      owner: megan,
      history: [{ at: '2026-11-24T09:30:00Z', by: megan, action: 'claim' }],
    };
    assert.deepEqual(
      kinds('2026-11-24T12:00:00Z', [
        claimed,
        { ...getItNow, isTest: true },
        { ...getItNow, doNotContact: true },
      ]),
      [],
    );
  });

  it('nudges the owner of a lead untouched for N business days, once per idle stretch, not while snoozed', () => {
    const owned = {
      ...contactMe,
      status: 'assigned' as const,
      owner: megan,
      history: [{ at: '2026-11-24T10:00:00Z', by: megan, action: 'claim' }],
    };
    assert.deepEqual(kinds('2026-11-26T09:59:00Z', [owned]), []);
    assert.deepEqual(kinds('2026-11-26T10:00:00Z', [owned]), ['L-22222:nudge']);
    assert.deepEqual(
      kinds('2026-11-27T10:00:00Z', [{ ...owned, reminders: { nudgedAt: '2026-11-26T10:00:00Z' } }]),
      [],
    );
    assert.deepEqual(
      kinds('2026-11-27T10:00:00Z', [{ ...owned, reminders: { snoozedUntil: '2026-11-28T10:00:00Z' } }]),
      [],
    );
  });
});
