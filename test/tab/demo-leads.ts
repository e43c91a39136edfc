// A small, believable pipeline for the tab's screenshots and accessibility checks: a dozen leads
// posted as Partner Center sends them, then worked on their cards by Megan and Alex.
import type { Lead } from '../../src/leads/lead.js';
import { alex, cardActionActivity, megan, type TeamsUser } from '../fakes/activities.js';
import type { TeamsHarness } from '../http/harness.js';

const PEOPLE: Array<[string, string, string, string, string, string, string, string]> = [
  [
    'Avery',
    'Lindqvist',
    'Contoso Manufacturing',
    'IT Operations Manager',
    'US',
    'SPZA-PLT|fabrikam.fieldservice',
    'PLT',
    'Fabrikam Field Service for Teams',
  ],
  [
    'Priya',
    'Natarajan',
    'Woodgrove Bank',
    'Cloud Architect',
    'IN',
    'AzureMarketplace',
    'INS',
    'Fabrikam Analytics Appliance',
  ],
  [
    'João',
    'Carvalho',
    'Adatum Logística',
    'Diretor de Sistemas',
    'PT',
    'SPZA-PLT|fabrikam.fieldservice',
    'PLT',
    'Fabrikam Field Service for Teams',
  ],
  [
    'Mei',
    'Tanaka',
    'Northwind Traders',
    'Head of Procurement',
    'JP',
    'AzureMarketplace-StartTestDrive|fabrikam.gateway',
    'StartTestDrive',
    'Fabrikam Secure Gateway (BYOL)',
  ],
  [
    'Lukas',
    'Schneider',
    'Litware GmbH',
    'CTO',
    'DE',
    'SPZA-INS|fabrikam.fieldservice',
    'INS',
    'Fabrikam Field Service for Teams',
  ],
  [
    'Sofia',
    'Marques',
    'Tailspin Toys',
    'Operations Lead',
    'BR',
    'AzurePortal-Create|fabrikam.analytics',
    'Create',
    'Fabrikam Analytics Appliance',
  ],
  ['Noah', 'Okafor', 'Fourth Coffee', 'IT Manager', 'NG', 'SPZA-PLT|contoso.backup', 'PLT', 'Contoso Backup'],
  [
    'Emma',
    'Dubois',
    'Wide World Importers',
    'Procurement Manager',
    'FR',
    'AzureMarketplace',
    'PLT',
    'Fabrikam Secure Gateway (BYOL)',
  ],
  [
    'Liam',
    'O’Brien',
    'Proseware',
    'Solutions Architect',
    'IE',
    'SPZA-INS|contoso.backup',
    'INS',
    'Contoso Backup',
  ],
  [
    'Ana',
    'Ribeiro',
    'Alpine Ski House',
    'Gestora de TI',
    'PT',
    'SPZA-PLT|fabrikam.fieldservice',
    'PLT',
    'Fabrikam Field Service for Teams',
  ],
  [
    'Chen',
    'Wei',
    'Coho Winery',
    'Finance Director',
    'CN',
    'AzureMarketplace',
    'INS',
    'Fabrikam Analytics Appliance',
  ],
];

function payload(i: number): string {
  const [first, last, company, title, country, source, action, offer] = PEOPLE[i] as (typeof PEOPLE)[number];
  return JSON.stringify({
    UserDetails: {
      FirstName: first,
      LastName: last,
      Email: `${first.toLowerCase()}.${i}@${company.split(' ')[0]?.toLowerCase()}.example.com`,
      Phone: `+1 425 555 01${String(10 + i)}`,
      Country: country,
      Company: company,
      Title: title,
    },
    LeadSource: source,
    ActionCode: action,
    OfferTitle: offer,
    Description:
      i % 3 === 0
        ? 'Looking for a pilot with about 50 users next quarter. Please e-mail first.'
        : 'Campaigns: ',
  });
}

/** Posts the leads, works some of them on their cards, and returns them as stored. */
export async function seedDemoPipeline(teams: TeamsHarness): Promise<Lead[]> {
  const ids: string[] = [];
  for (let i = 0; i < PEOPLE.length; i++) ids.push((await teams.postedLead(payload(i))).id);
  const click = async (
    index: number,
    verb: string,
    from: TeamsUser,
    inputs: Record<string, unknown> = {},
  ) => {
    const lead = (await teams.harness.app.store.getLead(ids[index] as string)) as Lead;
    const delivery = lead.deliveries[0];
    const response = await teams.harness.postActivity(
      cardActionActivity(teams.connector.url, {
        threadId: delivery?.threadId as string,
        activityId: delivery?.activityId as string,
        verb,
        data: { leadId: lead.id, version: lead.version, ...inputs },
        from,
      }),
    );
    if (response.status !== 200) throw new Error(`${verb} on ${lead.id} answered ${response.status}`);
  };
  await click(0, 'lead.claim', megan);
  await click(0, 'lead.note', megan, {
    note: 'Called Avery: pilot of 40 technicians from March; wants a quote by Friday.',
  });
  await click(0, 'lead.qualify', megan);
  await click(0, 'lead.opportunity', megan, {
    value: 45000,
    currency: 'EUR',
    expectedClose: '2027-03-31',
    note: 'Quote sent for 300 seats, 3 years.',
  });
  await click(1, 'lead.claim', alex);
  await click(1, 'lead.qualify', alex);
  await click(1, 'lead.opportunity', alex, { value: 12000, currency: 'USD' });
  await click(1, 'lead.won', alex);
  await click(2, 'lead.claim', megan);
  await click(2, 'lead.qualify', megan);
  await click(3, 'lead.claim', alex);
  await click(4, 'lead.disqualify', megan, {
    reason: 'no_budget',
    details: 'No budget before their next fiscal year.',
  });
  await click(5, 'lead.claim', alex);
  await click(5, 'lead.qualify', alex);
  await click(5, 'lead.opportunity', alex, { value: 8000, currency: 'USD' });
  await click(5, 'lead.lost', alex);
  await click(6, 'lead.assign', alex, { assignee: megan.aadObjectId });
  await click(7, 'lead.claim', megan);
  await click(7, 'lead.qualify', megan);
  await click(7, 'lead.opportunity', megan, { value: 18500, currency: 'EUR', expectedClose: '2027-02-15' });
  await teams.harness.app.outbox.settled();
  return Promise.all(ids.map(async (id) => (await teams.harness.app.store.getLead(id)) as Lead));
}
