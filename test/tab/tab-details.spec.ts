import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Lead } from '../../src/leads/lead.js';
import { TEAM_ID } from '../fakes/activities.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness } from '../http/harness.js';
import { openPage, openTab, startBrowser } from './browser.js';

// What a user of the tab sees in the corners: counts, the charts' period and what they leave out,
// the local host's team tab, and a sign-in the server no longer takes.

describe('the Leads tab’s details (headless Chromium)', function () {
  this.timeout(60_000);
  let teams: TeamsHarness;
  let browser: Browser;
  let base: string;
  let contactMe: Lead;
  const open: BrowserContext[] = [];

  before(async () => {
    browser = await startBrowser();
    teams = await TeamsHarness.start({ env: { MANAGERS: 'aad-megan' } });
    base = teams.harness.url;
    contactMe = await teams.postedLead(leadFixture('contact-me'));
    await teams.postedLead(leadFixture('get-it-now'));
    await teams.harness.postLead(leadFixture('do-not-contact'));
    await teams.harness.app.outbox.settled();
  });
  after(async () => {
    for (const context of open) await context.close();
    await browser?.close();
    await teams?.stop();
  });

  async function page(): Promise<Page> {
    const opened = await openPage(browser);
    open.push(opened.context);
    return opened.page;
  }

  it('counts one lead as “1 lead” (and “1 contacto”), more as “N leads”', async () => {
    for (const [locale, one, many] of [
      ['en-us', /^1 lead$/, /^3 leads$/],
      ['pt-pt', /^1 contacto$/, /^3 contactos$/],
    ] as const) {
      const tab = await openTab(await page(), base, { team: TEAM_ID, locale });
      const count = tab.locator('.totals strong').first();
      await tab.locator('.totals').waitFor();
      assert.match(String(await count.textContent()), many);
      await tab.locator('#filter-q').fill(contactMe.id);
      await tab.locator('.totals strong', { hasText: one }).waitFor();
    }
  });

  it('charts “All time” as all time, and says which leads the funnel leaves out', async () => {
    for (const [locale, period, apart] of [
      ['en-us', 'Period: all time', 'Not counted above: 1 do-not-contact lead.'],
      ['pt-pt', 'Período: desde sempre', 'Não contados acima: 1 contacto que pediu para não ser contactado.'],
    ] as const) {
      const tab = await openTab(await page(), base, { team: TEAM_ID, locale });
      assert.equal(await tab.locator('#filter-period').inputValue(), '', 'All time is the default');
      await tab.locator('[data-view="charts"]').click();
      assert.equal(await tab.locator('.charts-period').textContent(), period);
      assert.equal(await tab.locator('.chart .apart').textContent(), apart);
    }
  });

  it('the local host fills in the team for a Team tab instead of silently showing My leads', async () => {
    const host = await page();
    await host.goto(`${base}/tab/local-host.html?oid=aad-megan&name=Megan+Bowen&where=team`);
    const tab = host.frameLocator('#tab');
    await tab.getByText('Pipeline of Sales · Megan Bowen').waitFor({ timeout: 15_000 });
    assert.equal(await host.locator('#team').inputValue(), TEAM_ID);
    assert.equal(await host.locator('#where').inputValue(), 'team');
  });

  it('asks to sign in again when the server refuses the sign-in, instead of polling into 401s', async () => {
    const host = await page();
    const tab = await openTab(host, base, { team: TEAM_ID });
    let refused = 0;
    // As after a restart of a local server: every token the tab has is refused.
    await host.route(/\/api\/tab\/leads\?/, (route) => {
      refused++;
      return route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{}}' });
    });
    const again = tab.locator('button.sign-in-again');
    await again.waitFor({ timeout: 15_000 });
    assert.equal(refused, 2, 'one call and its retry with a fresh token, then the poll stops');
    assert.match(String(await tab.locator('.load-status').textContent()), /Sign in again to carry on/);
    await host.unroute(/\/api\/tab\/leads\?/);
    await again.click();
    await again.waitFor({ state: 'detached' });
    await tab.locator(`.board button[data-lead-id="${contactMe.id}"]`).waitFor();
    assert.equal(refused, 2, 'nothing was refused while it waited for the person');
  });
});
