// `npm run screenshots` (message extension part): the search and link unfurling in the Microsoft
// 365 Agents Playground, which has both (it reads no manifest, so the command id and parameter are
// typed into its search panel as Teams would send them from manifest/manifest.json). In English
// and Portuguese: the result list, the card inserted and sent, and an unfurled lead link.
// Writes docs/screenshots/playground-msgext-*.png.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SEARCH_COMMAND_ID, SEARCH_PARAMETER } from '../src/bot/handlers/search-leads.js';
import { launchChromium } from './chromium.js';
import { shootCard, startBotAndPlayground } from './playground-kit.js';

const SECRET = 'screenshot-secret-0123456789';
const OUT = 'docs/screenshots';
const DOMAIN = 'leads.contoso.com';

async function shoot(locale: 'en' | 'pt-PT', ports: { bot: number; playground: number }): Promise<void> {
  const { bot, playground } = await startBotAndPlayground(locale, ports, {
    LEADS_WEBHOOK_SECRET: SECRET,
    BOT_DOMAIN: DOMAIN,
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(`http://127.0.0.1:${ports.playground}`, { waitUntil: 'networkidle' });
    await page.locator('[aria-label="Sales - Leads"]').click(); // installs the app in the team: its roster
    await page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Lead Assistant', visible: true })
      .first()
      .waitFor();
    for (const fixture of ['contact-me', 'get-it-now', 'test-drive']) {
      const answer = await fetch(`http://127.0.0.1:${ports.bot}/api/leads?code=${SECRET}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: readFileSync(`test/fixtures/leads/${fixture}.json`, 'utf8'),
      });
      if (answer.status !== 202) throw new Error(`lead not accepted: ${answer.status}`);
    }
    await page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Avery Lindqvist', visible: true })
      .first()
      .waitFor();

    // The search, from the compose box of the personal chat.
    await page.locator('[aria-label="Personal Chat"]').click();
    await openExtension(page, 'Search Command');
    await page.getByText('Specify Command ID or Parameter').click();
    await page.getByPlaceholder('Command ID').fill(SEARCH_COMMAND_ID);
    await page.getByPlaceholder('Parameter name').fill(SEARCH_PARAMETER);
    await page.getByText('Specify Command ID or Parameter').click(); // folded again: the results show
    await page.getByPlaceholder('Enter a search term').fill('fabrikam');
    const avery = page.getByText('Avery Lindqvist', { exact: true }).last();
    await avery.waitFor();
    const title = await page.getByText('Search-Based Message Extension').boundingBox();
    const last = await avery.locator('xpath=..').boundingBox();
    if (!title || !last) throw new Error('the search panel is not visible');
    await page.screenshot({
      path: join(OUT, `playground-msgext-search-${locale}.png`),
      clip: { x: title.x - 20, y: title.y - 16, width: 320, height: last.y + last.height - title.y + 40 },
    });
    await avery.click();
    await page.locator('[aria-label="Send Message"]:visible').last().click();
    const sent = page
      .locator('.ac-adaptiveCard')
      .filter({
        hasText: locale === 'en' ? 'Open in Lead Assistant' : 'Abrir no Lead Assistant',
        visible: true,
      })
      .filter({ hasText: 'Avery Lindqvist' })
      .last();
    await sent.waitFor();
    await shootCard(page, sent, join(OUT, `playground-msgext-inserted-${locale}.png`));

    // A pasted lead link, unfurled.
    const id = /L-[0-9A-Z]{5}/.exec((await sent.textContent()) ?? '')?.[0];
    await openExtension(page, 'Link Unfurling');
    await page.locator('[role=dialog] input').fill(`https://${DOMAIN}/leads/${id}`);
    const dialog = page.locator('[role=dialog]');
    await dialog.locator('.ac-adaptiveCard').filter({ hasText: 'Avery Lindqvist' }).waitFor();
    await dialog.screenshot({ path: join(OUT, `playground-msgext-unfurl-${locale}.png`) });
  } finally {
    await browser.close();
    playground.kill('SIGTERM');
    bot.kill('SIGTERM');
  }
  process.stdout.write(`${locale}: message extension screenshots written to ${OUT}/\n`);
}

async function openExtension(page: Page, kind: 'Search Command' | 'Link Unfurling'): Promise<void> {
  await page.locator('[aria-label="Trigger Message Extension App"]').last().click();
  await page.getByText(kind, { exact: true }).click();
}

mkdirSync(OUT, { recursive: true });
await shoot('en', { bot: 3996, playground: 56178 });
await shoot('pt-PT', { bot: 3998, playground: 56180 });
process.exit(0);
