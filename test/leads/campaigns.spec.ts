import assert from 'node:assert/strict';
import { parseCampaignDescription, tagCampaign } from '../../src/leads/campaigns.js';
import { parseMarketplaceLead } from '../../src/leads/marketplace-payload.js';
import { leadFixture } from '../fixtures/load.js';

// Descriptions as Partner Center sends them (marketplace-leads.md §2.2 and the issues it cites),
// with what the lead keeps: the campaign fields, and the description without them.
const cases: Array<{ name: string; description: string; campaign?: object; rest: string }> = [
  { name: 'the empty "Campaigns: " label', description: 'Campaigns: ', rest: '' },
  { name: 'a blank', description: ' ', rest: ' ' },
  {
    name: 'a JSON object of listing-URL parameters',
    description:
      '{"mktcmpid":"spring-26","utm_source":"linkedin","utm_medium":"social","utm_campaign":"Spring launch"}',
    campaign: {
      name: 'Spring launch',
      id: 'spring-26',
      source: 'linkedin',
      medium: 'social',
      params: {
        mktcmpid: 'spring-26',
        utm_source: 'linkedin',
        utm_medium: 'social',
        utm_campaign: 'Spring launch',
      },
    },
    rest: '',
  },
  {
    name: 'keys in any case, term and content, and a partner id',
    description:
      '{"UTM_Campaign":"fall","utm_term":"field service","utm_content":"banner-a","partnerid":"123"}',
    campaign: {
      name: 'fall',
      term: 'field service',
      content: 'banner-a',
      params: { utm_campaign: 'fall', utm_term: 'field service', utm_content: 'banner-a', partnerid: '123' },
    },
    rest: '',
  },
  {
    name: 'a named campaign after the label',
    description: 'Campaigns: webinar-2026-11',
    campaign: { name: 'webinar-2026-11', params: {} },
    rest: '',
  },
  {
    name: 'parameters after the label',
    description: 'Campaigns: {"mktcmpid":"ads-7"}',
    campaign: { id: 'ads-7', params: { mktcmpid: 'ads-7' } },
    rest: '',
  },
  {
    name: 'a query string on a line under a customer’s note',
    description: 'We want a pilot for 200 users.\nutm_source=bing&utm_campaign=pilot%20offer',
    campaign: {
      name: 'pilot offer',
      source: 'bing',
      params: { utm_source: 'bing', utm_campaign: 'pilot offer' },
    },
    rest: 'We want a pilot for 200 users.',
  },
  {
    name: 'a note with the empty label after it',
    description: 'Call me after 3pm.\nCampaigns: ',
    rest: 'Call me after 3pm.',
  },
  {
    name: 'a JSON object that is not campaign data (left alone)',
    description: '{"users":200,"region":"EU"}',
    rest: '{"users":200,"region":"EU"}',
  },
  {
    name: 'nested JSON (an unknown shape, left alone)',
    description: '{"utm_source":{"a":1}}',
    rest: '{"utm_source":{"a":1}}',
  },
  {
    name: 'a note that mentions a campaign in passing (left alone)',
    description: 'Saw your campaign: great stuff. utm_source is in the link.',
    rest: 'Saw your campaign: great stuff. utm_source is in the link.',
  },
  { name: 'empty parameters', description: '{"mktcmpid":"","utm_source":""}', rest: '' },
];

describe('parseCampaignDescription', () => {
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      const parsed = parseCampaignDescription(c.description);
      assert.deepEqual(parsed.campaign, c.campaign);
      assert.equal(parsed.description, c.rest);
    });
  }

  it('bounds what it keeps: long values are cut, too many parameters are not campaign data', () => {
    const long = parseCampaignDescription(JSON.stringify({ utm_campaign: 'x'.repeat(500) }));
    assert.equal(long.campaign?.name?.length, 200);
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`utm_k${i}`, 'v']));
    assert.equal(parseCampaignDescription(JSON.stringify(many)).campaign, undefined);
  });

  it('a manager’s tag sets the name and keeps what the lead carried', () => {
    const tagged = tagCampaign({ id: 'ads-7', params: { mktcmpid: 'ads-7' } }, '  Retargeting  ');
    assert.deepEqual(tagged, { id: 'ads-7', name: 'Retargeting', params: { mktcmpid: 'ads-7' } });
    assert.deepEqual(tagCampaign(undefined, 'Q4'), { name: 'Q4', params: {} });
  });
});

describe('campaigns at intake', () => {
  it('a lead whose description is only campaign data keeps it as fields and shows no note', () => {
    const body = JSON.parse(leadFixture('get-it-now'));
    body.description = '{"mktcmpid":"spring-26","utm_campaign":"spring"}';
    const lead = parseMarketplaceLead(JSON.stringify(body));
    assert.equal(lead.description, '');
    assert.deepEqual(lead.campaign, {
      name: 'spring',
      id: 'spring-26',
      params: { mktcmpid: 'spring-26', utm_campaign: 'spring' },
    });
  });

  it('the fingerprint is the payload’s: a re-delivery is still recognised', () => {
    const body = JSON.parse(leadFixture('get-it-now'));
    const withDescription = (description: string) =>
      parseMarketplaceLead(JSON.stringify({ ...body, description }));
    const a = withDescription('Campaigns: webinar');
    assert.notEqual(a.fingerprint, withDescription('Campaigns: other').fingerprint);
    assert.equal(a.fingerprint, withDescription('Campaigns: webinar').fingerprint);
    assert.equal(a.campaign?.name, 'webinar');
  });
});
