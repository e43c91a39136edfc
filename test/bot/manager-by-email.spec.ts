import assert from 'node:assert/strict';
import { defaultMembers, type FakeConnector, type Member } from '../fakes/fake-connector.js';
import { leadFixture } from '../fixtures/load.js';
import { type Harness, TeamsHarness } from '../http/harness.js';

// MANAGERS may name a manager by e-mail, and in many tenants the e-mail is not the UPN. Alex's
// e-mail here is neither his UPN nor his object id: only the e-mail can make him a manager.
const ALEX_EMAIL = 'Alex.Wilber@contoso.com';
const members: Member[] = defaultMembers.map((m) =>
  m.id === '29:alex' ? { ...m, userPrincipalName: 'alexw@contoso.onmicrosoft.com', email: ALEX_EMAIL } : m,
);

describe('a manager listed in MANAGERS by e-mail only', () => {
  let connector: FakeConnector;
  let harness: Harness;
  let teams: TeamsHarness;
  let clock: number;
  const now = () => new Date(clock);

  beforeEach(async () => {
    clock = Date.parse('2026-11-24T09:00:00Z'); // a Tuesday
    teams = await TeamsHarness.start({ members, env: { MANAGERS: ALEX_EMAIL.toLowerCase() }, app: { now } });
    ({ connector, harness } = teams);
  });
  afterEach(() => teams.stop());

  const personalPosts = (pattern: RegExp) =>
    connector.requests.filter(
      (r) =>
        r.kind === 'post' && r.conversationId === 'a:personal-29:alex' && pattern.test(r.body.text ?? ''),
    );

  it('gets the escalation of an unclaimed lead in a personal chat', async () => {
    const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
    await connector.waitFor((r) => r.kind === 'create' && JSON.stringify(r.body).includes(id));
    await harness.app.outbox.settled();

    clock = Date.parse('2026-11-24T11:00:00Z'); // 2 business hours: twice the Contact me SLA
    assert.equal(await harness.app.reminders.run(), 1);
    const escalations = personalPosts(/Escalation: this lead has waited 2 h/);
    assert.equal(escalations.length, 1, 'in Alex’s personal chat');
    assert.match(JSON.stringify(escalations[0]?.body), new RegExp(id));
    assert.equal(
      connector.requests.filter((r) => r.kind === 'post' && /Escalation/.test(r.body.text ?? '')).length,
      1,
      'and not in the thread instead',
    );
  });

  it('hears in a personal chat that Teams refused a lead’s card', async () => {
    connector.failNext(1, 403, { kind: 'create' });
    const { id } = (await (await harness.postLead(leadFixture('contact-me'))).json()) as { id: string };
    const told = await connector.waitFor(
      (r) => r.kind === 'post' && /could not be posted: Teams refused it \(403\)/.test(r.body.text ?? ''),
    );
    assert.equal(told.conversationId, 'a:personal-29:alex');
    assert.match(told.body.text, new RegExp(id));
  });
});
