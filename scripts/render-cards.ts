// `npm run screenshots` (second half): renders the cards with the Adaptive Cards JS renderer
// (the one the Playground uses) under Teams-like light and dark host configs, in English and
// Portuguese, because the Playground itself has no dark theme: the lead card in each state whose
// wording matters, a lead list and a summary (this renderer has no charts: the summary's funnel
// chart shows only in the Playground's shots). Writes docs/screenshots/card-*.png.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AdaptiveCard } from '../src/bot/cards/adaptive-card.js';
import { renderAutoAssignCard } from '../src/bot/cards/auto-assign-card.js';
import { renderLeadCard } from '../src/bot/cards/lead-card.js';
import { renderLeadListCard } from '../src/bot/cards/lead-list-card.js';
import { renderLeadPreview, renderLeadResultCard } from '../src/bot/cards/lead-result-card.js';
import { renderSummaryCard } from '../src/bot/cards/summary-card.js';
import { type Translator, translator } from '../src/i18n/translator.js';
import { isClaimable } from '../src/leads/access.js';
import { assignAutomatically } from '../src/leads/auto-assign.js';
import type { AutoAssignView } from '../src/leads/door.js';
import type { Lead, Person } from '../src/leads/lead.js';
import { type Actor, applyAction, type LeadAction } from '../src/leads/lifecycle.js';
import { parseMarketplaceLead } from '../src/leads/marketplace-payload.js';
import type { Summary } from '../src/leads/reports.js';
import { launchChromium } from './chromium.js';

const require = createRequire(import.meta.url);
const OUT = 'docs/screenshots';

type Theme = 'light' | 'dark';
const palette: Record<
  Theme,
  { page: string; text: string; subtle: string; accent: string; styles: Record<string, string> }
> = {
  light: {
    page: '#ffffff',
    text: '#242424',
    subtle: '#616161',
    accent: '#5b5fc7',
    styles: {
      default: '#ffffff',
      emphasis: '#f5f5f5',
      accent: '#cfe4fa',
      good: '#dff6dd',
      attention: '#fde7e9',
      warning: '#fff4ce',
    },
  },
  dark: {
    page: '#292929',
    text: '#ffffff',
    subtle: '#adadad',
    accent: '#7f85f5',
    styles: {
      default: '#292929',
      emphasis: '#1f1f1f',
      accent: '#0e2e51',
      good: '#0d3a0d',
      attention: '#3e1f25',
      warning: '#463100',
    },
  },
};

function hostConfig(theme: Theme) {
  const p = palette[theme];
  const fg = { default: p.text, subtle: p.subtle };
  const foregroundColors = {
    default: fg,
    accent: { default: p.accent, subtle: p.accent },
    good: { default: theme === 'dark' ? '#92c353' : '#0e700e', subtle: '#92c353' },
    warning: { default: theme === 'dark' ? '#f8d22a' : '#835b00', subtle: '#f8d22a' },
    attention: { default: theme === 'dark' ? '#f9526b' : '#c4314b', subtle: '#f9526b' },
  };
  const containerStyles = Object.fromEntries(
    Object.entries(p.styles).map(([name, backgroundColor]) => [name, { backgroundColor, foregroundColors }]),
  );
  return {
    fontFamily: 'Segoe UI, system-ui, sans-serif',
    containerStyles,
    actions: { actionsOrientation: 'horizontal', buttonSpacing: 8 },
  };
}

const NOW = new Date('2026-11-24T16:00:00Z');

/**
 * The result list's lines as Teams lays out a thumbnail preview (title, subtitle, text), from
 * renderLeadPreview's fields. They are HTML with markup written as character references, so
 * they go in as HTML here as in Teams: a name with markup in it shows literally.
 */
function previewList(leads: Lead[], t: Translator, theme: Theme): string {
  const p = palette[theme];
  const rows = leads
    .map((lead) => renderLeadPreview(lead, t))
    .map(
      (
        preview,
      ) => `<div style="padding:10px 12px;border-bottom:1px solid ${theme === 'dark' ? '#3d3d3d' : '#e0e0e0'}">
        <div style="font-weight:600">${preview.title}</div>
        ${preview.subtitle ? `<div>${preview.subtitle}</div>` : ''}
        <div style="color:${p.subtle};font-size:13px">${preview.text ?? ''}</div></div>`,
    )
    .join('');
  return `<div style="font:14px 'Segoe UI',system-ui,sans-serif;color:${p.text}">${rows}</div>`;
}

function previewLeads(): Lead[] {
  const base = sampleLead({ id: 'L-7K3Q9', phone: '14255550142' });
  const claimed = after(base, [{ verb: 'claim' }]);
  const other = (id: string, first: string, last: string, company: string): Lead => ({
    ...base,
    id,
    customer: { ...base.customer, firstName: first, lastName: last, company },
  });
  return [
    claimed,
    other('L-P3RW8', 'Jordan', 'Okafor', 'Northwind Traders'),
    other('L-Q8ZT5', '<b>Sam</b>', '[Lee](https://x.example)', 'Tailspin & Co'),
  ];
}
const megan: Actor = { aadObjectId: 'aad-megan', name: 'Megan Bowen', isGuest: false, isManager: false };

/** The lead after these clicks, a few minutes apart from 10:42. */
function after(lead: Lead, steps: LeadAction[]): Lead {
  return steps.reduce(
    (current, action, i) => ({
      ...applyAction(current, action, megan, new Date(Date.UTC(2026, 10, 24, 10, 42 + 7 * i))),
      version: current.version + 1,
    }),
    lead,
  );
}

/** The team the cards are shown to: Assign… offers these, and Megan (the viewer) may link a CRM record. */
const roster: Person[] = [
  { aadObjectId: 'aad-megan', name: 'Megan Bowen' },
  { aadObjectId: 'aad-alex', name: 'Alex Wilber' },
  { aadObjectId: 'aad-joana', name: 'Joana Ferreira' },
];

interface Buyer {
  first: string;
  last: string;
  company: string;
  title: string;
  country: string;
}
const avery: Buyer = {
  first: 'Avery',
  last: 'Lindqvist',
  company: 'Contoso Manufacturing',
  title: 'IT Operations Manager',
  country: 'US',
};

function sampleLead(fields: {
  id: string;
  phone: string;
  actionCode?: string;
  description?: string;
  buyer?: Buyer;
  receivedAt?: string;
}): Lead {
  const buyer = fields.buyer ?? avery;
  const incoming = parseMarketplaceLead(
    JSON.stringify({
      UserDetails: {
        FirstName: buyer.first,
        LastName: buyer.last,
        Email: `${buyer.first}.${buyer.last}@${buyer.company.split(' ')[0]}.example.com`.toLowerCase(),
        Phone: fields.phone,
        // As typed, not as an ISO code: the card still formats the phone and names the country.
        Country: buyer.country === 'US' ? 'USA' : buyer.country,
        Company: buyer.company,
        Title: buyer.title,
      },
      LeadSource: `SPZA-${fields.actionCode ?? 'PLT'}|fabrikamsoftware.fabrikam-fieldservice-saas`,
      ActionCode: fields.actionCode ?? 'PLT',
      OfferTitle: 'Fabrikam Field Service for Teams',
      Description:
        fields.description ??
        'We have 300 field technicians and want to pilot in Q3. Please call after 2pm PT.',
    }),
  );
  return {
    ...incoming,
    id: fields.id,
    receivedAt: fields.receivedAt ?? '2026-11-24T10:05:00.000Z',
    status: 'new',
    history: [],
    deliveries: [],
    version: 1,
  };
}

/** Every state whose wording changed: a card per state, each rendered in both languages and themes. */
function sampleCards(): Array<[string, (t: Translator) => AdaptiveCard]> {
  const base = sampleLead({ id: 'L-7K3Q9', phone: '14255550142' });
  const won = after(base, [
    { verb: 'claim' },
    { verb: 'qualify' },
    {
      verb: 'opportunity',
      opportunity: {
        value: 45000,
        currency: 'USD',
        expectedClose: '2027-03-31',
        notes:
          'Pilot for 300 technicians; their spec is at https://contoso.example.com/procurement/field-service/rfp-2027-q1-technician-scheduling-requirements.pdf',
      },
    },
    { verb: 'note', note: 'Signed for the pilot. Roll-out call with their IT on Monday.' },
    { verb: 'won' },
  ]);
  const disqualified = after({ ...base, id: 'L-M4XQ2' }, [
    { verb: 'claim' },
    {
      verb: 'disqualify',
      reason: 'no_budget',
      note: 'Budget frozen until next fiscal year; try again in July.',
    },
  ]);
  const dnc = sampleLead({
    id: 'L-D7NC4',
    phone: '4255550142',
    actionCode: 'DNC',
    description: '',
  });
  const view = (t: Translator) => ({ t, timeZone: 'Europe/Lisbon', now: NOW, roster, viewer: megan });
  const others = [
    sampleLead({
      id: 'L-P3RW8',
      phone: '+351 21 555 0190',
      buyer: {
        first: 'João',
        last: 'Carvalho',
        company: 'Adatum Logística',
        title: 'Diretor de Sistemas',
        country: 'PT',
      },
      receivedAt: '2026-11-21T09:12:00.000Z',
    }),
    sampleLead({
      id: 'L-Q8ZT5',
      phone: '+81 3 5555 0133',
      actionCode: 'INS',
      buyer: {
        first: 'Mei',
        last: 'Tanaka',
        company: 'Northwind Traders',
        title: 'Head of Procurement',
        country: 'JP',
      },
      receivedAt: '2026-11-17T14:40:00.000Z',
    }),
  ];
  const listed = [after(base, [{ verb: 'claim' }]), ...others];
  return [
    ['new', (t) => renderLeadCard(base, view(t))],
    [
      'low-priority',
      (t) =>
        renderLeadCard(
          {
            ...base,
            id: 'L-LW2P9',
            source: { ...base.source, action: 'INS', rawActionCode: 'INS' },
            customer: {
              ...base.customer,
              email: 'avery.l@gmail.com',
              title: 'Student',
              company: '',
              phone: '',
            },
          },
          view(t),
        ),
    ],
    ['claimed', (t) => renderLeadCard(after(base, [{ verb: 'claim' }]), view(t))],
    // Given out on arrival by the first matching rule, and one nobody could be given.
    [
      'auto-assigned',
      (t) =>
        renderLeadCard(
          assignAutomatically(
            others[0] as Lead,
            megan,
            { by: 'rule', field: 'country', value: 'PT' },
            '2026-11-21T09:12:00.000Z',
          ),
          view(t),
        ),
    ],
    [
      'auto-nobody',
      (t) =>
        renderLeadCard(
          { ...base, id: 'L-N0B0D', autoAssignMiss: { at: base.receivedAt, why: 'all_away_or_full' } },
          view(t),
        ),
    ],
    ['auto-assign-status', (t) => renderAutoAssignCard(sampleRotation(), view(t))],
    ['won', (t) => renderLeadCard(won, view(t))],
    ['disqualified', (t) => renderLeadCard(disqualified, view(t))],
    ['do-not-contact', (t) => renderLeadCard(dnc, view(t))],
    // As the list reads right after a claim in it: the claimed row stays, the count drops.
    [
      'list',
      (t) =>
        renderLeadListCard(
          t('list.unassigned', { count: listed.filter(isClaimable).length }),
          listed,
          view(t),
        ),
    ],
    ['summary', (t) => renderSummaryCard(sampleSummary(), view(t))],
    // The card the message extension inserts (a search result, an unfurled lead link).
    [
      'search-result',
      (t) =>
        renderLeadResultCard(after(base, [{ verb: 'claim' }]), {
          ...view(t),
          link: 'https://leads.contoso.com/leads/L-7K3Q9',
        }),
    ],
  ];
}

function sampleRotation(): AutoAssignView {
  const day = (d: number) => new Date(NOW.getTime() - d * 3_600_000).toISOString();
  return {
    teamId: 'team',
    teamName: 'Sales EMEA',
    settings: {
      teamId: 'team',
      enabled: true,
      capacity: 8,
      rules: [{ field: 'country', values: ['PT', 'BR'], to: ['meganb@contoso.com'] }],
      turns: {},
    },
    rotation: [
      {
        person: { aadObjectId: 'a', name: 'Alex Wilber' },
        inRotation: true,
        openLeads: 3,
        lastAssigned: day(30),
        full: false,
        next: true,
      },
      {
        person: { aadObjectId: 'm', name: 'Megan Bowen' },
        inRotation: true,
        openLeads: 5,
        lastAssigned: day(2),
        full: false,
        next: false,
      },
      {
        person: { aadObjectId: 'd', name: 'Diego Siciliani' },
        inRotation: true,
        openLeads: 8,
        lastAssigned: day(5),
        full: true,
        next: false,
      },
      {
        person: { aadObjectId: 'l', name: 'Lidia Holloway' },
        inRotation: true,
        openLeads: 1,
        lastAssigned: day(50),
        awayUntil: '2026-12-08T00:00:00.000Z',
        full: false,
        next: false,
      },
      {
        person: { aadObjectId: 'p', name: 'Patti Fernandez' },
        inRotation: false,
        openLeads: 0,
        full: false,
        next: false,
      },
    ],
  };
}

function sampleSummary(): Summary {
  return {
    period: { from: new Date('2026-10-25T00:00:00Z'), to: NOW, label: 'month' },
    received: 4,
    funnel: { assigned: 3, qualified: 2, opportunity: 1, won: 1, lost: 0, disqualified: 1 },
    rates: { assigned: 0.75, qualified: 0.5, opportunity: 0.25, won: 0.25 },
    firstTouch: { median: 12, p90: 95, touched: 3 },
    byStorefront: { AppSource: 3, AzureMarketplace: 1 },
    byAction: { PLT: 3, INS: 1 },
    byPriority: { high: 2, medium: 1, low: 1 },
    topOffers: [{ offer: 'Fabrikam Field Service for Teams', count: 4 }],
    byCampaign: [
      {
        campaign: 'spring-launch',
        received: 3,
        funnel: { assigned: 2, qualified: 2, opportunity: 1, won: 1, lost: 0, disqualified: 0 },
      },
      {
        received: 1,
        funnel: { assigned: 1, qualified: 0, opportunity: 0, won: 0, lost: 0, disqualified: 1 },
      },
    ],
    owners: [{ name: 'Megan Bowen', open: 1, qualified: 2, won: 1, pipeline: {} }],
    oldestUntouched: [{ id: 'L-Q8ZT5', who: 'Mei Tanaka', receivedAt: '2026-11-17T14:40:00Z' }],
    testLeads: 1,
    doNotContact: 0,
  };
}

mkdirSync(OUT, { recursive: true });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 560, height: 900 } });
  await page.setContent(
    '<html><body style="margin:0"><div id="card" style="width:500px;padding:16px"></div></body></html>',
  );
  await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
  // What Teams' own styles do for links and buttons on a card.
  await page.addStyleTag({
    content: `#card a { color: var(--accent); text-decoration: none; }
      #card button { font: 600 14px 'Segoe UI', system-ui, sans-serif; color: var(--text); background: transparent;
        border: 1px solid #8a8a8a; border-radius: 4px; padding: 5px 12px; }
      #card button.style-positive { background: var(--accent); border-color: var(--accent); color: #fff; }
      /* Teams wraps a row of buttons that does not fit; this renderer would clip it. */
      #card .ac-actionSet { flex-wrap: wrap; row-gap: 8px; }`,
  });
  for (const locale of ['en', 'pt-PT'] as const) {
    const t = translator(locale, 'en');
    for (const [state, render] of sampleCards()) {
      const card = render(t);
      for (const theme of ['light', 'dark'] as const) {
        await page.evaluate(
          ({ card, config, background }) => {
            // Runs in the page; the project is compiled without DOM types.
            // biome-ignore lint/suspicious/noExplicitAny: browser globals, untyped here on purpose
            const { AdaptiveCards: AC, document } = globalThis as any;
            const adaptive = new AC.AdaptiveCard();
            adaptive.hostConfig = new AC.HostConfig(config);
            adaptive.parse(card);
            const host = document.getElementById('card');
            document.body.style.background = background;
            document.body.style.setProperty('--accent', config.accent);
            document.body.style.setProperty('--text', config.text);
            host.replaceChildren(adaptive.render());
          },
          {
            card,
            config: { ...hostConfig(theme), accent: palette[theme].accent, text: palette[theme].text },
            background: palette[theme].page,
          },
        );
        await page.locator('#card').screenshot({ path: join(OUT, `card-${state}-${locale}-${theme}.png`) });
      }
    }
  }
  // The search's result list: the thumbnail previews Teams shows above the compose box.
  for (const locale of ['en', 'pt-PT'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      const html = previewList(previewLeads(), translator(locale, 'en'), theme);
      await page.evaluate(
        ({ html, background }) => {
          // biome-ignore lint/suspicious/noExplicitAny: browser globals, untyped here on purpose
          const { document } = globalThis as any;
          document.body.style.background = background;
          document.getElementById('card').innerHTML = html;
        },
        { html, background: palette[theme].page },
      );
      await page
        .locator('#card')
        .screenshot({ path: join(OUT, `card-search-previews-${locale}-${theme}.png`) });
    }
  }
} finally {
  await browser.close();
}
console.log(`rendered cards written to ${OUT}/card-*.png`);
