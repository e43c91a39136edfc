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

/** A clock the app reads (`AppOptions.now`), so the demo can happen over weeks in a moment. */
export interface DemoClock {
  set(at: Date): void;
}

type Step = [
  lead: number,
  minutesAfterArrival: number,
  verb: string,
  from: TeamsUser,
  inputs?: Record<string, unknown>,
];

/** When each lead arrived: days before now and the hour (UTC), over six weeks of business hours. */
const ARRIVALS: Array<[daysAgo: number, hour: number]> = [
  [3, 9.2],
  [38, 14.5],
  [12, 10.1],
  [6, 16.3],
  [24, 11.7],
  [31, 13.4],
  [17, 8.9],
  [20, 15.2],
  [1, 10.6],
  [9, 12.3],
  [0, 9.4],
];

/** What the team did, and how long after the lead arrived: first touches from minutes to hours. */
const STEPS: Step[] = [
  [0, 14, 'lead.claim', megan],
  [
    0,
    95,
    'lead.note',
    megan,
    { note: 'Called Avery: pilot of 40 technicians from March; wants a quote by Friday.' },
  ],
  [0, 26 * 60, 'lead.qualify', megan],
  [
    0,
    50 * 60,
    'lead.opportunity',
    megan,
    {
      value: 45000,
      currency: 'EUR',
      expectedClose: '2027-03-31',
      note: 'Quote sent for 300 seats, 3 years.',
    },
  ],
  [1, 42, 'lead.claim', alex],
  [1, 3 * 24 * 60, 'lead.qualify', alex],
  [1, 8 * 24 * 60, 'lead.opportunity', alex, { value: 12000, currency: 'USD' }],
  [1, 22 * 24 * 60, 'lead.won', alex],
  [2, 185, 'lead.claim', megan],
  [2, 2 * 24 * 60, 'lead.qualify', megan],
  [3, 27, 'lead.claim', alex],
  [
    4,
    8,
    'lead.disqualify',
    megan,
    { reason: 'no_budget', details: 'No budget before their next fiscal year.' },
  ],
  [5, 63, 'lead.claim', alex],
  [5, 4 * 24 * 60, 'lead.qualify', alex],
  [5, 9 * 24 * 60, 'lead.opportunity', alex, { value: 8000, currency: 'USD' }],
  [5, 25 * 24 * 60, 'lead.lost', alex],
  [6, 240, 'lead.assign', alex, { assignee: megan.aadObjectId }],
  [7, 19, 'lead.claim', megan],
  [7, 5 * 24 * 60, 'lead.qualify', megan],
  [
    7,
    12 * 24 * 60,
    'lead.opportunity',
    megan,
    { value: 18500, currency: 'EUR', expectedClose: '2027-02-15' },
  ],
  [9, 130, 'lead.claim', alex],
];

/**
 * Posts the leads and works some of them on their cards, in the order it happened. With a clock,
 * over six weeks (arrivals in business hours, first touches minutes to hours later), ending at
 * the real now; without one, all at once. Returns the leads as stored.
 */
export async function seedDemoPipeline(teams: TeamsHarness, clock?: DemoClock): Promise<Lead[]> {
  const now = Date.now();
  const arrival = (i: number) => {
    const [daysAgo, hour] = ARRIVALS[i] as [number, number];
    const day = new Date(now - daysAgo * 86_400_000);
    day.setUTCHours(0, 0, 0, 0);
    return Math.min(now - 60 * 60_000, day.getTime() + hour * 3_600_000);
  };
  const ids: string[] = [];
  const events: Array<{ at: number; run: () => Promise<void> }> = [];
  for (let i = 0; i < PEOPLE.length; i++) {
    events.push({
      at: arrival(i),
      run: async () => {
        ids[i] = (await teams.postedLead(payload(i))).id;
      },
    });
  }
  for (const [index, minutes, verb, from, inputs] of STEPS) {
    events.push({
      at: Math.min(now - 60_000, arrival(index) + minutes * 60_000),
      run: () => click(index, verb, from, inputs),
    });
  }
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
  // Without a clock the order still holds: every lead first, then the clicks in time order.
  const ordered = clock ? [...events].sort((a, b) => a.at - b.at) : events;
  for (const event of ordered) {
    clock?.set(new Date(event.at));
    await event.run();
  }
  clock?.set(new Date());
  await teams.harness.app.outbox.settled();
  return Promise.all(ids.map(async (id) => (await teams.harness.app.store.getLead(id)) as Lead));
}
