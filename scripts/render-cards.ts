// `npm run screenshots` (second half): renders the lead card with the Adaptive Cards JS renderer
// (the one the Playground uses) under Teams-like light and dark host configs, in English and
// Portuguese, because the Playground itself has no dark theme. Writes docs/screenshots/card-*.png.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { renderLeadCard } from '../src/bot/cards/lead-card.js';
import { translator } from '../src/bot/i18n/translator.js';
import type { Lead } from '../src/leads/lead.js';
import { parseMarketplaceLead } from '../src/leads/marketplace-payload.js';
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

function sampleLeads(): Array<[string, Lead]> {
  const incoming = parseMarketplaceLead(
    JSON.stringify({
      UserDetails: {
        FirstName: 'Avery',
        LastName: 'Lindqvist',
        Email: 'avery.lindqvist@contoso.example.com',
        Phone: '+1 425 555 0142',
        Country: 'US',
        Company: 'Contoso Manufacturing',
        Title: 'IT Operations Manager',
      },
      LeadSource: 'SPZA-PLT|fabrikamsoftware.fabrikam-fieldservice-saas',
      ActionCode: 'PLT',
      OfferTitle: 'Fabrikam Field Service for Teams',
      Description: 'We have 300 field technicians and want to pilot in Q3. Please call after 2pm PT.',
    }),
  );
  const base: Lead = {
    ...incoming,
    id: 'L-7K3Q9',
    receivedAt: '2026-11-24T10:05:00.000Z',
    status: 'new',
    history: [],
    deliveries: [],
    version: 1,
  };
  const megan = { aadObjectId: 'aad-megan', name: 'Megan Bowen' };
  const claimed: Lead = {
    ...base,
    status: 'assigned',
    owner: megan,
    version: 2,
    history: [{ at: '2026-11-24T10:42:00.000Z', by: megan, action: 'claim', from: 'new', to: 'assigned' }],
  };
  return [
    ['new', base],
    ['claimed', claimed],
  ];
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
      #card button.style-positive { background: var(--accent); border-color: var(--accent); color: #fff; }`,
  });
  for (const locale of ['en', 'pt-PT'] as const) {
    const t = translator(locale, 'en');
    for (const [state, lead] of sampleLeads()) {
      const card = renderLeadCard(lead, { t, timeZone: 'Europe/Lisbon' });
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
} finally {
  await browser.close();
}
console.log(`rendered cards written to ${OUT}/card-*.png`);
