import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lead } from '../src/leads/lead.js';

const offers = [
  'Fabrikam Field Service for Teams',
  'Fabrikam Analytics Appliance',
  'Fabrikam Secure Gateway (BYOL)',
  'Contoso Backup',
];
const statuses: Lead['status'][] = [
  'new',
  'assigned',
  'qualified',
  'opportunity',
  'won',
  'lost',
  'disqualified',
];

/** `total` realistic leads, `currentMonth` of them in the current month, written as month files. */
export async function seedLeads(
  dataDir: string,
  total: number,
  currentMonth: number,
  now = new Date(),
): Promise<void> {
  const months = new Map<string, Lead[]>();
  for (let i = 0; i < total; i++) {
    const monthsBack = i < currentMonth ? 0 : 1 + (i % 9);
    const at = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1 + (i % 27), 9 + (i % 8), i % 60),
    );
    const status = statuses[i % statuses.length] ?? 'new';
    const owner =
      status === 'new' ? undefined : { aadObjectId: `aad-seller-${i % 12}`, name: `Seller ${i % 12}` };
    const email = `buyer${i}@customer${i % 500}.example.com`;
    const lead: Lead = {
      id: `L-${i.toString(36).toUpperCase().padStart(5, '0')}`,
      receivedAt: at.toISOString(),
      source: {
        storefront: i % 3 ? 'AppSource' : 'AzureMarketplace',
        action: i % 4 ? 'PLT' : 'INS',
        raw: 'SPZA-PLT|pub.offer',
        rawActionCode: 'PLT',
      },
      offerTitle: offers[i % offers.length] ?? '',
      description: 'We would like a demo for our field team next month.',
      customer: {
        firstName: `Buyer${i}`,
        lastName: 'Example',
        email,
        phone: '+1 425 555 0100',
        country: 'US',
        company: `Customer ${i % 500}`,
        title: 'IT Manager',
      },
      isTest: false,
      doNotContact: false,
      raw: JSON.stringify({
        UserDetails: { FirstName: `Buyer${i}`, Email: email },
        LeadSource: 'SPZA-PLT|pub.offer',
        ActionCode: 'PLT',
      }),
      fingerprint: `seed-${i}`,
      status,
      ...(owner ? { owner } : {}),
      history: owner
        ? [
            {
              at: new Date(at.getTime() + 3_600_000).toISOString(),
              by: owner,
              action: 'claim',
              from: 'new',
              to: 'assigned',
            },
          ]
        : [],
      deliveries: [],
      version: owner ? 2 : 1,
    };
    const month = lead.receivedAt.slice(0, 7);
    const list = months.get(month) ?? [];
    list.push(lead);
    months.set(month, list);
  }
  await mkdir(join(dataDir, 'leads'), { recursive: true });
  for (const [month, leads] of months)
    await writeFile(join(dataDir, 'leads', `${month}.json`), JSON.stringify({ leads }, null, 1));
  await writeFile(
    join(dataDir, 'lead-assistant.json'),
    JSON.stringify({ schema: 2, installations: [], routing: { byStorefront: {} }, digests: [] }),
  );
}
