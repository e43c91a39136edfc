import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Webhook } from 'standardwebhooks';
import { endpointKey, publicUrl } from '../../src/events/endpoint.js';
import { buildLeadEvent, eventKind, webhookId } from '../../src/events/lead-event.js';
import { signedHeaders } from '../../src/events/signing.js';
import type { HistoryEntry, Lead } from '../../src/leads/lead.js';
import { applyAction } from '../../src/leads/lifecycle.js';
import { eraseCustomer } from '../../src/leads/privacy.js';
import { makeLead } from '../fakes/lead-factory.js';
import { newSecret } from './receiver.js';

const KEY = endpointKey('https://example.com/hook');
const options = { endpointKey: KEY, source: '/lead-assistant/leads.contoso.com', contact: 'omit' as const };
const megan = { aadObjectId: 'aad-megan', name: 'Megan Bowen', isGuest: false, isManager: false };
const received: HistoryEntry = {
  at: '2026-11-24T10:00:00.000Z',
  by: { aadObjectId: 'system', name: 'Marketplace' },
  action: 'received',
  to: 'new',
};

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addFormat('date', /^\d{4}-\d\d-\d\d$/);
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S+$/i);
  return ajv.compile(JSON.parse(readFileSync('docs/events.schema.json', 'utf8')));
}

/** A lead walked through its life: received, claimed, qualified, opportunity, won, a note. */
function walkedLead(): Lead {
  let lead = makeLead({ history: [received] });
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 10, minute));
  lead = applyAction(lead, { verb: 'claim' }, megan, at(1));
  lead = applyAction(lead, { verb: 'qualify' }, megan, at(2));
  lead = applyAction(
    lead,
    { verb: 'opportunity', opportunity: { value: 45000, currency: 'EUR', expectedClose: '2027-03-31' } },
    megan,
    at(3),
  );
  lead = applyAction(lead, { verb: 'won' }, megan, at(4));
  return applyAction(lead, { verb: 'note', note: 'Avery wants the annual plan' }, megan, at(5));
}

describe('lead events: the envelope and its data', () => {
  const validate = validator();

  it('makes each history entry a CloudEvent of its type, valid against docs/events.schema.json', () => {
    const lead = walkedLead();
    const events = lead.history.map((_, n) => JSON.parse(buildLeadEvent(lead, n, options).body));
    assert.deepEqual(
      events.map((e) => e.type.replace('com.leadassistant.lead.', '')),
      ['received', 'claimed', 'qualified', 'opportunity', 'won', 'note_added'],
    );
    for (const event of events) assert.equal(validate(event), true, JSON.stringify(validate.errors));
    const [first, , , opportunity] = events;
    assert.equal(first.specversion, '1.0');
    assert.equal(first.subject, lead.id);
    assert.equal(first.source, '/lead-assistant/leads.contoso.com');
    assert.equal(first.time, '2026-11-24T10:00:00.000Z', 'the time of the change, not of the send');
    assert.deepEqual(opportunity.data.change, {
      sequence: 3,
      action: 'opportunity',
      from: 'qualified',
      to: 'opportunity',
      by: { aadObjectId: 'aad-megan', name: 'Megan Bowen' },
      at: '2026-11-24T10:03:00.000Z',
    });
    assert.deepEqual(opportunity.data.opportunity, {
      value: 45000,
      currency: 'EUR',
      expectedClose: '2027-03-31',
    });
  });

  it('carries the priority with its reasons and the country as an ISO code, valid against the schema', () => {
    const lead = makeLead({
      history: [received],
      customer: { country: 'Estados Unidos', title: 'Diretor', phone: '' },
    });
    const event = JSON.parse(buildLeadEvent(lead, 0, options).body);
    assert.equal(validate(event), true, JSON.stringify(validate.errors));
    assert.deepEqual(event.data.priority, {
      level: 'high',
      score: 6,
      reasons: [
        { code: 'intent', weight: 2, action: 'PLT' },
        { code: 'senior-title', weight: 2 },
        { code: 'company-email', weight: 1 },
        { code: 'domain-fits-company', weight: 1 },
      ],
    });
    assert.equal(event.data.customer.countryCode, 'US');
    assert.equal(event.data.customer.country, 'Estados Unidos', 'as sent');
    const dnc = JSON.parse(
      buildLeadEvent(
        makeLead({ history: [received], doNotContact: true, customer: { country: 'Atlantis' } }),
        0,
        options,
      ).body,
    );
    assert.equal(validate(dnc), true, JSON.stringify(validate.errors));
    assert.equal(dnc.data.priority.level, 'fyi');
    assert.equal('countryCode' in dnc.data.customer, false, 'no code for a country nobody knows');
  });

  it('never carries the raw payload, fingerprints or delivery bookkeeping', () => {
    const lead = {
      ...walkedLead(),
      raw: '{"secret-raw":1}',
      fingerprint: 'fp-secret',
      deliveries: [
        { teamId: 't', conversationId: '19:c', state: 'posted' as const, attempts: 1, activityId: 'act-1' },
      ],
      events: { [KEY]: { sent: 2 } },
    };
    const body = buildLeadEvent(lead, 0, options).body;
    assert.doesNotMatch(body, /secret-raw|fp-secret|act-1|19:c|deliveries|"events"/);
  });

  it('leaves out e-mail and phone unless EVENTS_CONTACT=include', () => {
    const lead = walkedLead();
    const omitted = JSON.parse(buildLeadEvent(lead, 0, options).body).data.customer;
    assert.deepEqual(Object.keys(omitted).sort(), [
      'company',
      'country',
      'countryCode',
      'firstName',
      'lastName',
      'title',
    ]);
    assert.doesNotMatch(JSON.stringify(omitted), /avery\.lindqvist|555 0142/);
    const included = JSON.parse(buildLeadEvent(lead, 0, { ...options, contact: 'include' }).body).data
      .customer;
    assert.equal(included.email, 'avery.lindqvist@contoso.example.com');
    assert.equal(included.phone, '+1 425 555 0142');
  });

  it('builds every event of an erased lead, those queued before the erasure too, without personal data', () => {
    const lead = eraseCustomer(
      walkedLead(),
      { aadObjectId: 'aad-alex', name: 'Alex Wilber' },
      'request',
      new Date(),
    );
    for (const [n] of lead.history.entries()) {
      const event = JSON.parse(buildLeadEvent(lead, n, { ...options, contact: 'include' }).body);
      assert.equal(validate(event), true, JSON.stringify(validate.errors));
      assert.doesNotMatch(
        JSON.stringify(event),
        /avery|lindqvist|contoso manufacturing|555|annual plan|pilot/i,
      );
      assert.equal(event.data.customer, undefined);
      assert.equal(event.data.erased.reason, 'request');
    }
    assert.equal(
      JSON.parse(buildLeadEvent(lead, lead.history.length - 1, options).body).type,
      'com.leadassistant.lead.erased',
    );
  });

  it('maps actions it does not know (other features add some) to …changed, and a recovered lead to …received', () => {
    assert.equal(eventKind('seen_again'), 'changed');
    assert.equal(eventKind('campaign-tagged'), 'changed');
    assert.equal(eventKind('crm-linked'), 'crm_linked');
    assert.equal(eventKind('recovered'), 'received');
    assert.equal(eventKind('toString'), 'changed', 'not fooled by Object.prototype');
  });

  it('gives each event a webhook-id that is stable per lead, entry and endpoint', () => {
    const lead = walkedLead();
    const id = buildLeadEvent(lead, 2, options).id;
    assert.equal(
      buildLeadEvent({ ...lead, status: 'lost', version: 9 }, 2, options).id,
      id,
      'same event, later',
    );
    assert.equal(id, webhookId(KEY, lead.id, 2));
    assert.notEqual(buildLeadEvent(lead, 3, options).id, id);
    assert.notEqual(webhookId(endpointKey('https://other.example.com/'), lead.id, 2), id);
  });

  it('signs with every secret (two while rotating): a receiver holding either one verifies it', () => {
    const [oldSecret, newSecretValue] = [newSecret(1), newSecret(2)];
    const event = buildLeadEvent(walkedLead(), 0, options);
    const headers = signedHeaders(event.id, event.body, [newSecretValue, oldSecret], new Date());
    assert.match(headers['webhook-signature'] ?? '', /^v1,\S+ v1,\S+$/);
    for (const secret of [oldSecret, newSecretValue])
      assert.equal((new Webhook(secret).verify(event.body, headers) as { id: string }).id, event.id);
    assert.throws(() => new Webhook(newSecret(3)).verify(event.body, headers), /No matching signature/);
    assert.throws(() => new Webhook(oldSecret).verify(`${event.body} `, headers), /No matching signature/);
  });

  it('shows an endpoint as scheme, host and a fingerprint: never its path or query, where keys live', () => {
    const flow =
      'https://prod-12.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=SECRET&sv=1.0';
    assert.equal(
      publicUrl(flow),
      `https://prod-12.westeurope.logic.azure.com #${createHash('sha256').update(flow).digest('hex').slice(0, 8)}`,
    );
    const zap = publicUrl('https://hooks.zapier.com/hooks/catch/123456/abcdef/');
    assert.match(zap, /^https:\/\/hooks\.zapier\.com #[0-9a-f]{8}$/);
    assert.notEqual(
      zap,
      publicUrl('https://hooks.zapier.com/hooks/catch/123456/abcdeg/'),
      'two hooks told apart',
    );
    assert.notEqual(endpointKey('https://a.example.com/?sig=1'), endpointKey('https://a.example.com/?sig=2'));
  });
});
