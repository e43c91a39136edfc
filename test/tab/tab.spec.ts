import assert from 'node:assert/strict';
import { teamsDarkTheme, teamsHighContrastTheme } from '@fluentui/tokens';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import type { Lead } from '../../src/leads/lead.js';
import { alex, cardActionActivity, TEAM_ID } from '../fakes/activities.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness } from '../http/harness.js';
import { openPage, openTab, rgb, startBrowser } from './browser.js';

// Run inside the page by Playwright (the server's tsconfig has no DOM types).
declare const document: { activeElement: unknown };
declare function getComputedStyle(el: unknown): { backgroundColor: string; outlineStyle: string };

describe('the Leads tab in the local tab host (headless Chromium)', function () {
  this.timeout(60_000);
  let teams: TeamsHarness;
  let browser: Browser;
  let base: string;
  let contactMe: Lead;
  let getItNow: Lead;
  let testDrive: Lead;
  const open: BrowserContext[] = [];

  before(async () => {
    browser = await startBrowser();
    teams = await TeamsHarness.start();
    base = teams.harness.url;
    contactMe = await teams.postedLead(leadFixture('contact-me'));
    getItNow = await teams.postedLead(leadFixture('get-it-now'));
    testDrive = await teams.postedLead(leadFixture('test-drive'));
  });
  after(async () => {
    for (const context of open) await context.close();
    await browser?.close();
    await teams?.stop();
  });

  async function page(options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; problems: string[] }> {
    const opened = await openPage(browser, options);
    open.push(opened.context);
    return opened;
  }

  const card = (tab: FrameLocator, lead: Lead) => tab.locator(`.board button[data-lead-id="${lead.id}"]`);
  const column = (tab: FrameLocator, status: string) => tab.locator(`section.status-${status}`);

  it('initialises through teams-js, shows the team’s leads, and a claim updates the channel card', async () => {
    const { page: host, problems } = await page();
    const tab = await openTab(host, base, { team: TEAM_ID });
    assert.equal(
      await host.locator('body').getAttribute('data-tab'),
      'ready',
      'teams-js told the host it is ready',
    );
    for (const lead of [contactMe, getItNow, testDrive]) await card(tab, lead).waitFor();
    assert.equal(await column(tab, 'new').locator('.count').textContent(), '3');
    await tab.getByText('Pipeline of Sales · Megan Bowen').waitFor();

    await card(tab, contactMe).click();
    const dialog = tab.locator('dialog[open]');
    await dialog.locator('[data-verb="lead.claim"]').click();
    await dialog.getByText('Done.').waitFor();
    assert.equal(await dialog.locator('.details-head .pill').textContent(), 'Assigned');
    const update = await teams.connector.waitFor(
      (r) => r.kind === 'update' && JSON.stringify(r.body).includes(contactMe.id),
    );
    assert.match(JSON.stringify(update.body), /Megan Bowen/, 'the channel card names the new owner');
    assert.equal((await teams.harness.app.store.getLead(contactMe.id))?.owner?.aadObjectId, 'aad-megan');

    await host.keyboard.press('Escape');
    await column(tab, 'assigned').locator(`button[data-lead-id="${contactMe.id}"]`).waitFor();
    assert.equal(await column(tab, 'new').locator('.count').textContent(), '2');
    assert.deepEqual(problems, [], 'no script error and nothing the CSP refused');
  });

  it('shows a click on a channel card within a few seconds, without a reload', async () => {
    const { page: host } = await page();
    const tab = await openTab(host, base, { team: TEAM_ID });
    await column(tab, 'new').locator(`button[data-lead-id="${getItNow.id}"]`).waitFor();
    const stored = (await teams.harness.app.store.getLead(getItNow.id)) as Lead;
    const delivery = stored.deliveries[0];
    const clicked = Date.now();
    const response = await teams.harness.postActivity(
      cardActionActivity(teams.connector.url, {
        threadId: delivery?.threadId as string,
        activityId: delivery?.activityId as string,
        verb: 'lead.claim',
        data: { leadId: stored.id, version: stored.version },
        from: alex,
      }),
    );
    assert.equal(response.status, 200);
    await column(tab, 'assigned')
      .locator(`button[data-lead-id="${getItNow.id}"]`)
      .waitFor({ timeout: 10_000 });
    assert.ok(Date.now() - clicked < 10_000);
    assert.match((await card(tab, getItNow).textContent()) ?? '', /Alex Wilber/);
  });

  it('reads Portuguese and dark from Teams, and follows a theme change live', async () => {
    const { page: host } = await page();
    const tab = await openTab(host, base, { team: TEAM_ID, locale: 'pt-pt', theme: 'dark' });
    await column(tab, 'new').getByRole('heading', { name: /Novo/ }).waitFor();
    await tab.getByLabel('Responsável').waitFor();
    await tab.getByText('Pipeline de Sales').waitFor();
    const background = () => tab.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(await background(), rgb(teamsDarkTheme.colorNeutralBackground3));
    await host.selectOption('#theme', 'contrast'); // Teams pushes themeChange; the tab is not reloaded
    await tab.locator('html[data-theme="contrast"]').waitFor();
    assert.equal(await background(), rgb(teamsHighContrastTheme.colorNeutralBackground3));
  });

  it('in the personal tab, shows my leads first', async () => {
    const { page: host } = await page();
    const tab = await openTab(host, base);
    assert.equal(await tab.locator('#filter-owner').inputValue(), 'me');
    await tab.getByText('My leads · Megan Bowen').waitFor();
    await card(tab, contactMe).waitFor(); // claimed by Megan above
    assert.equal(await card(tab, testDrive).count(), 0, 'nobody’s lead is not among mine');
    await tab.locator('#filter-owner').selectOption('nobody');
    await card(tab, testDrive).waitFor();
    assert.equal(await card(tab, contactMe).count(), 0);
  });

  it('answers a stale action with the lead as it is now and a short notice, changing nothing', async () => {
    const { page: host } = await page();
    const tab = await openTab(host, base, { team: TEAM_ID });
    await card(tab, testDrive).click();
    const dialog = tab.locator('dialog[open]');
    await dialog.locator('[data-verb="lead.disqualify"]').click();
    await dialog.locator('#act-reason').selectOption('no_budget');
    // Meanwhile Alex claims it on the channel card.
    const seen = (await teams.harness.app.store.getLead(testDrive.id)) as Lead;
    const delivery = seen.deliveries[0];
    await teams.harness.postActivity(
      cardActionActivity(teams.connector.url, {
        threadId: delivery?.threadId as string,
        activityId: delivery?.activityId as string,
        verb: 'lead.claim',
        data: { leadId: seen.id, version: seen.version },
        from: alex,
      }),
    );
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog
      .locator('.notice.warning')
      .getByText(/changed this lead meanwhile/)
      .waitFor();
    assert.match((await dialog.locator('.notice.warning').textContent()) ?? '', /Alex Wilber/);
    assert.equal(await dialog.locator('.details-head .pill').textContent(), 'Assigned');
    const now = (await teams.harness.app.store.getLead(testDrive.id)) as Lead;
    assert.equal(now.status, 'assigned', 'not disqualified');
    assert.equal(now.owner?.aadObjectId, 'aad-alex');
  });

  it('exports the current view as CSV, with the filters applied', async () => {
    const { page: host } = await page();
    const tab = await openTab(host, base, { team: TEAM_ID });
    await tab.locator('#filter-owner').selectOption('me');
    await card(tab, getItNow).waitFor({ state: 'detached' }); // Alex's
    const [download] = await Promise.all([host.waitForEvent('download'), tab.locator('#export').click()]);
    const csv = await new Response((await download.createReadStream()) as unknown as ReadableStream).text();
    assert.match(download.suggestedFilename(), /^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    assert.match(csv, /^\ufeff?"id","receivedAt","status"/);
    assert.ok(csv.includes(contactMe.id), 'Megan’s lead is in it');
    assert.ok(!csv.includes(getItNow.id), 'Alex’s lead is not: owner=me applied');
  });

  it('opens the lead a card’s deep link names (Teams’ subEntityId)', async () => {
    const { page: host } = await page();
    await openTab(host, base, { lead: contactMe.id });
    const dialog = host.frameLocator('#tab').locator('dialog[open]');
    await dialog.getByText(contactMe.id).waitFor();
    assert.match((await dialog.locator('#details-title').textContent()) ?? '', /Avery Lindqvist/);
  });

  it('offers the lead link to copy in the details, a link that opens this lead’s page', async () => {
    const { page: host } = await page();
    await openTab(host, base, { lead: contactMe.id });
    const dialog = host.frameLocator('#tab').locator('dialog[open]');
    const button = dialog.locator('fluent-button.copy-link');
    await button.waitFor();
    assert.equal(await button.textContent(), 'Copy link');
    const link = `${base}/leads/${contactMe.id}`;
    assert.equal(await button.getAttribute('data-link'), link);
    await button.click();
    // Copied where the clipboard is allowed; otherwise the link, shown selected to copy by hand.
    const status = dialog.locator('.copy-link-status');
    await status.filter({ hasText: /Link copied|Copy this link/ }).waitFor();
    if ((await status.textContent())?.includes('Copy this link'))
      assert.equal(await status.locator('input').inputValue(), link);
    const response = await fetch(link);
    assert.equal(response.status, 200);
    assert.ok((await response.text()).includes(contactMe.id));
  });

  it('shows each lead’s priority and why in the list, filters by it and orders by it, in Portuguese too', async () => {
    const { page: host, problems } = await page();
    const tab = await openTab(host, base, { team: TEAM_ID });
    await tab.locator('[data-view="list"]').click();
    const rows = tab.locator('table.list tbody tr');
    const row = (lead: Lead) => rows.filter({ has: tab.locator(`[data-lead-id="${lead.id}"]`) });
    await row(getItNow).waitFor();
    assert.ok((await tab.locator('table.list thead').textContent())?.includes('Priority'));
    assert.equal(await row(getItNow).locator('.pill.priority').textContent(), 'Medium');
    assert.match(
      (await row(testDrive).locator('.priority-cell').textContent()) ?? '',
      /^HighTest drive · senior title · company e-mail · the company’s domain$/,
    );
    await tab.locator('#filter-sort').selectOption('priority');
    await tab.locator('#filter-priority').selectOption('high');
    // Every list on the way has three rows (newest first, then by priority): two is the answer.
    await rows.nth(2).waitFor({ state: 'detached' });
    const ids = await rows
      .locator('[data-lead-id]')
      .evaluateAll((els) =>
        els.map((el) => (el as unknown as { dataset: { leadId: string } }).dataset.leadId),
      );
    assert.deepEqual(ids, [contactMe.id, testDrive.id], 'High only, the older first');
    assert.deepEqual(problems, []);

    const { page: ptHost } = await page();
    const pt = await openTab(ptHost, base, { team: TEAM_ID, locale: 'pt-pt' });
    await pt.locator('[data-view="list"]').click();
    await pt.locator('table.list thead').getByText('Prioridade').waitFor();
    assert.equal(
      await pt
        .locator(`table.list tbody tr:has([data-lead-id="${getItNow.id}"]) .pill.priority`)
        .textContent(),
      'Média',
    );
    // The details: the priority with its reasons, and the country by name in Portuguese.
    await pt.locator(`table.list tbody [data-lead-id="${testDrive.id}"]`).click();
    const details = pt.locator('dialog[open]');
    await details
      .getByText('Alta · Test drive · cargo de direção · e-mail da empresa · domínio da empresa')
      .waitFor();
    await ptHost.keyboard.press('Escape');
    await pt.locator(`table.list tbody [data-lead-id="${getItNow.id}"]`).click();
    await pt.locator('dialog[open]').getByText('Índia', { exact: true }).waitFor();
  });

  it('shows someone on no team’s roster no lead, and says why', async () => {
    const { page: host } = await page();
    const tab = await openTab(host, base, { oid: 'aad-stranger', name: 'Sam Stranger', team: TEAM_ID });
    await tab.locator('.load-status').getByText('Guests can’t work on leads.', { exact: false }).waitFor();
    assert.equal(await tab.locator('button[data-lead-id]').count(), 0);
  });

  it('outside Teams, says to open it in Teams and asks the API for nothing', async () => {
    const { page: plain } = await page();
    const calls: string[] = [];
    plain.on('request', (r) => {
      if (r.url().includes('/api/')) calls.push(r.url());
    });
    await plain.goto(`${base}/tab/`);
    await plain.getByRole('heading', { name: 'Open this in Microsoft Teams' }).waitFor({ timeout: 5000 });
    assert.equal(await plain.locator('.board, button[data-lead-id]').count(), 0);
    assert.deepEqual(calls, []);
  });

  it('framed by a page that never answers teams-js, gives up after a few seconds and says so', async () => {
    const { page: plain } = await page();
    const calls: string[] = [];
    plain.on('request', (r) => {
      if (r.url().includes('/api/')) calls.push(r.url());
    });
    await plain.goto(`${base}/tab/`); // a page of this origin (the CSP lets it frame the tab) that is no host
    await plain.evaluate(
      `document.body.append(Object.assign(document.createElement('iframe'), { src: '/tab/?framed' }))`,
    );
    const framed = plain.frameLocator('iframe');
    await framed.getByRole('heading', { name: 'Open this in Microsoft Teams' }).waitFor({ timeout: 15_000 });
    assert.deepEqual(calls, []);
  });
});
