// A verb shown is a verb accepted: for each role, in each status a lead can be in, every action the
// tab offers is submitted with the inputs its form describes, and the server takes it. The card
// offers the same verbs to the same person (both come from leads/verbs.ts).
import assert from 'node:assert/strict';
import { renderLeadActions } from '../../src/bot/cards/lead-actions.js';
import { renderCrmSection } from '../../src/bot/cards/lead-crm-section.js';
import { translator } from '../../src/i18n/translator.js';
import type { Lead, LeadStatus } from '../../src/leads/lead.js';
import { TEAM_ID } from '../fakes/activities.js';
import { makeLead } from '../fakes/lead-factory.js';
import { TabHarness } from './tab-client.js';

const STATUSES: LeadStatus[] = ['new', 'assigned', 'qualified', 'opportunity', 'won', 'lost', 'disqualified'];

/** `L-V` and n in the id alphabet (lead-id.ts), four characters. */
function leadId(n: number): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
  let id = '';
  for (let rest = n, i = 0; i < 4; i++, rest = Math.floor(rest / alphabet.length))
    id = alphabet[rest % alphabet.length] + id;
  return `L-V${id}`;
}

interface Offer {
  verb: string;
  title: string;
  inputs: Array<{
    name: string;
    type: string;
    required: boolean;
    choices?: Array<{ value: string }>;
    min?: number;
  }>;
}

/** What a person would fill in: the first choice, a number above the minimum, a date, some words. */
function filledIn(offer: Offer): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const input of offer.inputs) {
    if (input.type === 'choice') values[input.name] = input.choices?.[0]?.value;
    else if (input.type === 'number') values[input.name] = (input.min ?? 0) + 100;
    else if (input.type === 'date') values[input.name] = '2027-03-31';
    else
      values[input.name] = input.name === 'crm' ? 'https://crm.example.com/opportunity/42' : 'Spring launch';
  }
  return values;
}

describe('every verb the tab offers is accepted, for each role', function () {
  this.timeout(60_000);
  let tab: TabHarness;
  let n = 0;
  before(async () => {
    tab = await TabHarness.start({ env: { MANAGERS: 'aad-boss' } });
  });
  after(async () => {
    await tab.stop();
  });

  async function leadIn(status: LeadStatus, owner: string | undefined): Promise<Lead> {
    n++;
    return tab.store.createLead(
      makeLead({
        id: leadId(n),
        fingerprint: `verbs-${n}`,
        status,
        ...(owner ? { owner: { aadObjectId: owner, name: owner } } : {}),
        ...(status === 'opportunity' || status === 'won' || status === 'lost'
          ? { opportunity: { value: 1000, currency: 'EUR' } }
          : {}),
        ...(status === 'disqualified' ? { disqualifyReason: 'no_budget' as const } : {}),
        deliveries: [
          { teamId: TEAM_ID, conversationId: '19:leads-channel@thread.tacv2', state: 'pending', attempts: 0 },
        ],
      }),
    );
  }

  for (const [role, oid, owns] of [
    ['the owner, a member', 'aad-megan', true],
    ['a member who does not own it', 'aad-megan', false],
    ['a manager', 'aad-boss', false],
  ] as const) {
    it(`${role}: each offer in each status is taken (200), and the card offers the same verbs`, async () => {
      const offered = new Set<string>();
      for (const status of STATUSES) {
        const owner = status === 'new' ? undefined : owns ? oid : 'aad-alex';
        const template = await leadIn(status, owner);
        const { body } = await tab.json(`/api/tab/leads/${template.id}`, { as: oid });
        const offers = body.lead.actions as Offer[];
        const viewer = { aadObjectId: oid, name: oid, isGuest: false, isManager: oid === 'aad-boss' };
        const t = translator('en', 'en');
        const roster = (await tab.store.getInstallation(TEAM_ID))?.members ?? [];
        const cardVerbs = [
          ...renderLeadActions(template, t, roster, viewer),
          ...(renderCrmSection(template, t, viewer).flatMap((e: any) => e.actions ?? []) as any[]),
        ]
          .map((a: any) => a.verb ?? a.card?.actions?.[0]?.verb)
          .filter((v: string | undefined) => v && v !== 'lead.refresh');
        assert.deepEqual(
          [...cardVerbs].sort(),
          offers.map((o) => o.verb).sort(),
          `${status}: the card and the tab offer the same`,
        );
        for (const offer of offers) {
          offered.add(offer.verb);
          // Each offer on a fresh copy of the lead in this status, so one verb does not move the next.
          const lead = await leadIn(status, owner);
          const answer = await tab.json(`/api/tab/leads/${lead.id}/actions`, {
            as: oid,
            body: { verb: offer.verb, version: lead.version, ...filledIn(offer) },
          });
          assert.equal(answer.status, 200, `${status} ${offer.verb}: ${JSON.stringify(answer.body)}`);
          assert.equal((await tab.store.getLead(lead.id))?.version, lead.version + 1, `${offer.verb} saved`);
        }
      }
      const expected =
        oid === 'aad-boss' || owns
          ? ['lead.crm', 'lead.note', 'lead.qualify', 'lead.reopen']
          : ['lead.note', 'lead.claim'];
      for (const verb of expected) assert.ok(offered.has(verb), `${verb} offered to ${role}`);
      if (oid === 'aad-boss') assert.ok(offered.has('lead.campaign'), 'Tag campaign… offered to a manager');
    });
  }
  it('a won lead is reopened from the tab by its owner or a manager, and refused to anyone else', async () => {
    for (const [oid, may] of [
      ['aad-megan', true],
      ['aad-boss', true],
      ['aad-alex', false],
    ] as const) {
      const lead = await leadIn('won', 'aad-megan');
      const { body } = await tab.json(`/api/tab/leads/${lead.id}`, { as: oid });
      const verbs = (body.lead.actions as Offer[]).map((o) => o.verb);
      assert.equal(verbs.includes('lead.reopen'), may, `${oid}: offered ${verbs.join(', ')}`);
      const answer = await tab.json(`/api/tab/leads/${lead.id}/actions`, {
        as: oid,
        body: { verb: 'lead.reopen', version: lead.version },
      });
      assert.equal(answer.status, may ? 200 : 403, `${oid}: ${JSON.stringify(answer.body)}`);
      const after = await tab.store.getLead(lead.id);
      assert.equal(after?.status, may ? 'assigned' : 'won');
      if (may)
        assert.deepEqual([after?.history.at(-1)?.action, after?.history.at(-1)?.from], ['reopen', 'won']);
    }
  });
});
