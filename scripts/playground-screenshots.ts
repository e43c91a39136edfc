// `npm run screenshots`: renders the cards in the Microsoft 365 Agents Playground (headless Debian
// Chromium) and writes PNGs to docs/screenshots/, in English and in Portuguese.
// It starts its own bot (fresh temp data), Playground and, for pt-PT, a proxy that gives the
// Playground's activities a pt-PT locale (the Playground always sends en-US).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { shootCard, startBotAndPlayground } from './playground-kit.js';

const SECRET = 'screenshot-secret-0123456789';
const OUT = 'docs/screenshots';

/** Qualify → Opportunity (form) → Won, by clicking, with a screenshot at each status. */
async function walkToWon(page: Page): Promise<void> {
  const card = () =>
    page.locator('.ac-adaptiveCard').filter({ hasText: 'Avery Lindqvist', visible: true }).first();
  const waitForStatus = async (status: string) => {
    await page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Avery Lindqvist', visible: true })
      .filter({ hasText: status })
      .first()
      .waitFor();
  };
  await card().getByRole('button', { name: 'Qualify', exact: true }).click();
  await waitForStatus('Qualified');
  await shootCard(page, card(), join(OUT, 'lead-card-qualified-en-light.png'));
  await card().getByRole('button', { name: 'Opportunity…' }).click();
  // The form opens below the card (the Playground renders it with Fluent UI controls).
  await page.getByRole('spinbutton').first().fill('45000');
  const save = page.getByRole('button', { name: 'Save', exact: true }).first();
  await save.scrollIntoViewIfNeeded();
  const [top, bottom] = [await card().boundingBox(), await save.boundingBox()];
  if (top && bottom) {
    const height = bottom.y + bottom.height - top.y + 16;
    await page.screenshot({
      path: join(OUT, 'lead-card-opportunity-form-en-light.png'),
      clip: { x: top.x - 8, y: top.y - 8, width: top.width + 16, height },
    });
  }
  await save.click();
  await waitForStatus('Opportunity: $45,000.00');
  await shootCard(page, card(), join(OUT, 'lead-card-opportunity-en-light.png'));
  await card().getByRole('button', { name: 'Won', exact: true }).click();
  await waitForStatus('Won');
  await shootCard(page, card(), join(OUT, 'lead-card-won-en-light.png'));
}

async function shoot(locale: 'en' | 'pt-PT', ports: { bot: number; playground: number }): Promise<void> {
  const { bot, playground } = await startBotAndPlayground(locale, ports, { LEADS_WEBHOOK_SECRET: SECRET });

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 }, deviceScaleFactor: 1 });
    await page.goto(`http://127.0.0.1:${ports.playground}`, { waitUntil: 'networkidle' });
    await page.locator('[aria-label="Sales - Leads"]').click(); // adds the app to the team from this channel
    const welcome = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: locale === 'en' ? 'Lead Assistant is ready' : 'está pronto', visible: true });
    await welcome.waitFor();
    await shootCard(page, welcome, join(OUT, `welcome-card-${locale}-light.png`));

    const lead = readFileSync('test/fixtures/leads/contact-me.json', 'utf8');
    const answer = await fetch(`http://127.0.0.1:${ports.bot}/api/leads?code=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: lead,
    });
    if (answer.status !== 202) throw new Error(`lead not accepted: ${answer.status} ${await answer.text()}`);
    const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'Avery Lindqvist', visible: true });
    await card.waitFor();
    await shootCard(page, card, join(OUT, `lead-card-${locale}-light.png`));

    await card.getByRole('button', { name: locale === 'en' ? 'Claim' : 'Assumir' }).click();
    const claimed = page.locator('.ac-adaptiveCard').filter({
      hasText: locale === 'en' ? 'Claimed by Megan Bowen' : 'Assumido por Megan Bowen',
      visible: true,
    });
    await claimed.waitFor();
    await shootCard(page, claimed, join(OUT, `lead-card-claimed-${locale}-light.png`));
    await page.screenshot({ path: join(OUT, `playground-${locale}.png`) });

    if (locale === 'en') await walkToWon(page);

    // A manager's summary, asked in personal chat (the Playground sends channel posts to a bot only with a mention).
    await page.locator('[aria-label="Personal Chat"]').click();
    await page.locator('[contenteditable=true]').first().focus();
    await page.keyboard.type('summary month');
    await page.keyboard.press('Enter');
    const summary = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: locale === 'en' ? 'Leads summary' : 'Resumo de contactos', visible: true })
      .first();
    await summary.waitFor();
    await shootCard(page, summary, join(OUT, `summary-card-${locale}-light.png`));
  } finally {
    await browser.close();
    playground.kill('SIGTERM');
    bot.kill('SIGTERM');
  }
  process.stdout.write(`${locale}: screenshots written to ${OUT}/\n`);
}

mkdirSync(OUT, { recursive: true });
await shoot('en', { bot: 3988, playground: 56170 });
await shoot('pt-PT', { bot: 3990, playground: 56172 });
process.exit(0);
