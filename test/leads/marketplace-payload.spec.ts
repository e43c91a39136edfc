import assert from 'node:assert/strict';
import { ValidationError } from '../../src/errors.js';
import { newLeadId, normaliseLeadId } from '../../src/leads/lead-id.js';
import { parseMarketplaceLead } from '../../src/leads/marketplace-payload.js';
import { leadFixture } from '../fixtures/load.js';

describe('parseMarketplaceLead', () => {
  it('reads the documented Contact me payload with a combined LeadSource', () => {
    const lead = parseMarketplaceLead(leadFixture('contact-me'));
    assert.deepEqual(lead.source, {
      storefront: 'AppSource',
      action: 'PLT',
      offerId: 'fabrikamsoftware.fabrikam-fieldservice-saas',
      raw: 'SPZA-PLT|fabrikamsoftware.fabrikam-fieldservice-saas',
      rawActionCode: 'PLT',
    });
    assert.equal(lead.customer.firstName, 'Avery');
    assert.equal(lead.customer.email, 'avery.lindqvist@contoso.example.com');
    assert.equal(lead.offerTitle, 'Fabrikam Field Service for Teams');
    assert.match(lead.description, /pilot in Q3/);
    assert.equal(lead.isTest, false);
    assert.equal(lead.doNotContact, false);
    assert.equal(lead.raw, leadFixture('contact-me'));
  });

  it('matches keys in any casing (userDetails, firstName, ALL CAPS)', () => {
    const camel = parseMarketplaceLead(leadFixture('get-it-now'));
    assert.equal(camel.customer.company, 'Woodgrove Bank');
    assert.equal(camel.source.storefront, 'AzureMarketplace');
    assert.equal(camel.source.action, 'INS');
    const caps = parseMarketplaceLead(
      '{"USERDETAILS":{"FIRSTNAME":"Ann","EMAIL":"ann@example.com"},"LEADSOURCE":"appsource","ACTIONCODE":"plt"}',
    );
    assert.equal(caps.customer.firstName, 'Ann');
    assert.equal(caps.source.storefront, 'AppSource');
    assert.equal(caps.source.action, 'PLT');
  });

  it('recognises Microsoft’s MSFT_TEST_ validation lead', () => {
    assert.equal(parseMarketplaceLead(leadFixture('test-lead')).isTest, true);
  });

  it('classifies do-not-contact, test drive and Azure portal create leads', () => {
    assert.equal(parseMarketplaceLead(leadFixture('do-not-contact')).doNotContact, true);
    const drive = parseMarketplaceLead(leadFixture('test-drive'));
    assert.deepEqual([drive.source.storefront, drive.source.action], ['TestDrive', 'StartTestDrive']);
    const create = parseMarketplaceLead(leadFixture('azure-portal-create'));
    assert.deepEqual([create.source.storefront, create.source.action], ['AzurePortal', 'Create']);
    assert.equal(create.description, '', 'a blank description is trimmed to empty');
  });

  it('accepts unknown action codes and sparse leads instead of losing them', () => {
    const odd = parseMarketplaceLead(
      '{"LeadSource":"SomethingNew-XYZ|pub.offer","ActionCode":"XYZ","OfferTitle":"Offer"}',
    );
    assert.deepEqual(
      [odd.source.storefront, odd.source.action, odd.source.rawActionCode],
      ['Unknown', 'Unknown', 'XYZ'],
    );
    assert.equal(odd.customer.email, '');
    const action = parseMarketplaceLead(
      '{"LeadSource":"AzureMarketplace-INS|pub.offer","OfferTitle":"Offer"}',
    );
    assert.equal(action.source.action, 'INS', 'the action part of LeadSource when ActionCode is missing');
    const numeric = parseMarketplaceLead('{"UserDetails":{"Phone":16175555555},"OfferTitle":"Offer"}');
    assert.equal(numeric.customer.phone, '16175555555');
  });

  it('gives a re-delivered lead the same fingerprint whatever its key order and casing', () => {
    const a = parseMarketplaceLead(
      '{"UserDetails":{"FirstName":"Ann","Email":"Ann@Example.com"},"OfferTitle":"Offer","ActionCode":"PLT"}',
    );
    const b = parseMarketplaceLead(
      '{ "actionCode": "PLT", "offerTitle": "Offer", "userDetails": { "email": "ann@example.com", "firstName": " Ann " } }',
    );
    const c = parseMarketplaceLead(
      '{"UserDetails":{"FirstName":"Ann","Email":"ann@example.com"},"OfferTitle":"Offer","ActionCode":"INS"}',
    );
    assert.equal(a.fingerprint, b.fingerprint);
    assert.notEqual(a.fingerprint, c.fingerprint);
  });

  it('refuses what is not a lead with a message naming the problem', () => {
    const cases: Array<[string, RegExp]> = [
      ['{not json', /not valid JSON/],
      ['42', /got a number/],
      [
        '{"UserDetails":{"Company":{"name":"x"}},"OfferTitle":"Offer"}',
        /UserDetails\.Company must be a string/,
      ],
      ['{"Description":"hello"}', /not a marketplace lead/],
    ];
    for (const [body, message] of cases) {
      assert.throws(
        () => parseMarketplaceLead(body),
        (error: unknown) => error instanceof ValidationError && message.test(error.message),
      );
    }
  });
});

describe('lead ids', () => {
  it('are short, readable and free of look-alike characters', () => {
    const ids = new Set(Array.from({ length: 500 }, () => newLeadId()));
    for (const id of ids) assert.match(id, /^L-[2-9A-HJKMNP-TV-Z]{5}$/);
    assert.ok(ids.size > 490, 'random enough');
  });

  it('use every character equally: the bytes that would favour the first ones are drawn again', () => {
    const drawn = [Buffer.from([255, 240, 0, 29, 30]), Buffer.from([241, 59]), Buffer.from([239])];
    assert.equal(
      newLeadId(() => drawn.shift() ?? Buffer.alloc(5)),
      'L-2Z2ZZ',
      '255, 240 and 241 are skipped; 0 and 30 are the first character, 29, 59 and 239 the last',
    );
  });

  it('are understood however people type them', () => {
    assert.equal(normaliseLeadId('l-7k3q9'), 'L-7K3Q9');
    assert.equal(normaliseLeadId(' 7K3Q9 '), 'L-7K3Q9');
    assert.equal(normaliseLeadId('L7K3Q9'), 'L-7K3Q9');
    assert.equal(normaliseLeadId('L-7K3Q'), undefined);
    assert.equal(normaliseLeadId('L-OOOOO'), undefined, 'O is not in the alphabet');
    assert.equal(normaliseLeadId('DROP TABLE'), undefined);
  });
});
