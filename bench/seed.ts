import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AutoAssign } from '../src/leads/auto-assign-data.js';
import type { Lead } from '../src/leads/lead.js';
import { computePriority } from '../src/leads/priority.js';
import type { Installation, Routing } from '../src/leads/store.js';
import { BOT_ID, LEADS_CHANNEL_ID, TEAM_ID, TENANT_ID } from '../test/fakes/activities.js';
import type { NaiveData } from './naive-store.js';

/** The meta file's content: where the bot is installed and where leads go. */
export interface SeedMeta {
  installations: Installation[];
  routing: Routing;
  autoAssign?: AutoAssign[];
}

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

/**
 * `total` realistic leads, `currentMonth` of them in the current month: each posted as a card in
 * the Leads channel, the owned ones claimed, and the reminders they had by now already sent.
 */
export function makeSeedLeads(total: number, currentMonth: number, now = new Date()): Lead[] {
  const leads: Lead[] = [];
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
      id: seedId(i),
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
      deliveries: [
        {
          teamId: TEAM_ID,
          conversationId: LEADS_CHANNEL_ID,
          state: 'posted',
          activityId: `seed-${i}`,
          threadId: seedThread(i),
          attempts: 1,
        },
      ],
      reminders: owner
        ? { nudgedAt: new Date(at.getTime() + 4 * 86_400_000).toISOString() }
        : {
            announcedAt: new Date(at.getTime() + 3_600_000).toISOString(),
            escalatedAt: new Date(at.getTime() + 7_200_000).toISOString(),
          },
      version: owner ? 2 : 1,
    };
    // As every lead stored since priorities were added carries its own (set on arrival).
    leads.push({ ...lead, priority: computePriority(lead) });
  }
  return leads;
}

/**
 * Seeded lead `i`'s id: `i` written in the id alphabet (src/leads/lead-id.ts), so a card action
 * on it passes the same id check as a real one (a base-36 id like `L-0000A` is refused).
 */
export function seedId(i: number): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
  let body = '';
  for (let n = i, k = 0; k < 5; k++, n = Math.floor(n / alphabet.length))
    body = (alphabet[n % alphabet.length] ?? '2') + body;
  return `L-${body}`;
}

/** The thread of seeded lead `i`'s card, for card actions on it. */
export function seedThread(i: number): string {
  return `${LEADS_CHANNEL_ID};messageid=seed-${i}`;
}

/**
 * The same history with the first `count` leads' cards not posted yet (Teams down for a day, a big
 * import): each pending in the Leads channel, never tried.
 */
export function withPendingCards(leads: Lead[], count: number): Lead[] {
  return leads.map((lead, i) =>
    i < count
      ? {
          ...lead,
          deliveries: [{ teamId: TEAM_ID, conversationId: LEADS_CHANNEL_ID, state: 'pending', attempts: 0 }],
        }
      : lead,
  );
}

/** The bot installed in the team at `serviceUrl`, every lead routed to its Leads channel. */
export function installedMeta(serviceUrl: string): SeedMeta {
  return {
    installations: [
      {
        teamId: TEAM_ID,
        teamName: 'Sales',
        tenantId: TENANT_ID,
        serviceUrl,
        botId: BOT_ID,
        installedAt: new Date().toISOString(),
        channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }],
      },
    ],
    routing: { byStorefront: {}, defaultChannel: { teamId: TEAM_ID, channelId: LEADS_CHANNEL_ID } },
  };
}

/** The embedded store's layout: one snapshot per month, and the meta file (empty unless given). */
export async function writeMonthFiles(
  dataDir: string,
  leads: Lead[],
  meta: SeedMeta = { installations: [], routing: { byStorefront: {} } },
): Promise<void> {
  const months = new Map<string, Lead[]>();
  for (const lead of leads) {
    const month = lead.receivedAt.slice(0, 7);
    const list = months.get(month) ?? [];
    list.push(lead);
    months.set(month, list);
  }
  await mkdir(join(dataDir, 'leads'), { recursive: true });
  for (const [month, inMonth] of months)
    await writeFile(
      join(dataDir, 'leads', `${month}.json`),
      JSON.stringify({ changeLog: 0, leads: inMonth }, null, 1),
    );
  await writeFile(join(dataDir, 'lead-assistant.json'), JSON.stringify({ schema: 2, ...meta, digests: [] }));
}

/** The naive baseline's layout: everything in one file. */
export async function writeNaiveFile(path: string, leads: Lead[]): Promise<void> {
  const data: NaiveData = { leads, installations: [], routing: { byStorefront: {} }, digests: [] };
  await writeFile(path, JSON.stringify(data, null, 2));
}
