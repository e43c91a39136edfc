import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import type { Lead } from '../../src/leads/lead.js';
import { TEAM_ID } from '../fakes/activities.js';
import { TeamsHarness } from '../http/harness.js';
import { type HostOptions, openPage, openTab, startBrowser } from './browser.js';
import { seedDemoPipeline } from './demo-leads.js';
import { seedDemoRotation } from './demo-rotation.js';

// Run inside the page by Playwright (the server's tsconfig has no DOM types).
declare const document: { activeElement: unknown };
declare function getComputedStyle(el: unknown): { backgroundColor: string; outlineStyle: string };

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

describe('the Leads tab’s accessibility (axe-core in headless Chromium)', function () {
  this.timeout(60_000);
  let teams: TeamsHarness;
  let browser: Browser;
  let leads: Lead[];
  const open: BrowserContext[] = [];

  before(async () => {
    browser = await startBrowser();
    teams = await TeamsHarness.start({ env: { MANAGERS: 'aad-megan' } });
    leads = await seedDemoPipeline(teams);
    await seedDemoRotation(teams, leads);
  });
  after(async () => {
    for (const context of open) await context.close();
    await browser?.close();
    await teams?.stop();
  });

  /** The tab in the host; the CSP is bypassed in this context only, so axe can be injected. */
  async function tab(options: HostOptions): Promise<{ page: Page; frame: Frame }> {
    const opened = await openPage(browser, { bypassCSP: true });
    open.push(opened.context);
    await openTab(opened.page, teams.harness.url, { team: TEAM_ID, ...options });
    const frame = opened.page.frames().find((f) => f.url().includes('/tab/?'));
    if (!frame) throw new Error('the tab frame is not there');
    await frame.addScriptTag({ path: AXE });
    return { page: opened.page, frame };
  }

  /** Serious and critical violations only, each with where it is, so a failure says what to fix. */
  async function serious(frame: Frame): Promise<string[]> {
    const violations = (await frame.evaluate(
      'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)',
    )) as Violation[];
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  /** Opens the manager's Automatic assignment panel (it comes after /me) and waits for its table. */
  async function openRotation(frame: Frame): Promise<void> {
    await frame.locator('#auto-assign summary').click();
    await frame.locator('#auto-assign table.rotation tbody tr').first().waitFor();
  }

  it('English, light: board, list, a lead’s details and the charts', async () => {
    const { frame } = await tab({});
    assert.deepEqual(await serious(frame), [], 'board');
    await openRotation(frame);
    assert.deepEqual(await serious(frame), [], 'board with the automatic assignment open');
    await frame.locator('[data-view="list"]').click();
    await frame.locator('table.list').waitFor();
    assert.deepEqual(await serious(frame), [], 'list');
    await frame.locator(`button[data-lead-id="${leads[0]?.id}"]`).click();
    await frame.locator('dialog[open] .history li').first().waitFor();
    await frame.locator('dialog[open] [data-verb="lead.disqualify"]').click();
    await frame.locator('dialog[open] form[data-form="lead.disqualify"]').waitFor();
    assert.deepEqual(await serious(frame), [], 'details with the disqualify form');
    await frame.press('dialog[open]', 'Escape');
    await frame.locator('[data-view="charts"]').click();
    await frame.locator('.charts .hbar').first().waitFor();
    assert.deepEqual(await serious(frame), [], 'charts');
  });

  it('Portuguese, dark: board, the automatic assignment and a lead’s details', async () => {
    const { frame } = await tab({ locale: 'pt-pt', theme: 'dark' });
    assert.deepEqual(await serious(frame), [], 'board');
    await openRotation(frame);
    assert.deepEqual(await serious(frame), [], 'the automatic assignment');
    await frame.locator(`button[data-lead-id="${leads[0]?.id}"]`).click();
    await frame.locator('dialog[open] .history li').first().waitFor();
    assert.deepEqual(await serious(frame), [], 'details');
  });

  it('high contrast and phone width', async () => {
    const { frame } = await tab({ theme: 'contrast', width: 375 });
    assert.deepEqual(await serious(frame), [], 'board');
    await openRotation(frame);
    assert.deepEqual(await serious(frame), [], 'the automatic assignment');
  });

  it('works from the keyboard: Tab reaches a lead, Enter opens it, Escape gives focus back', async () => {
    const { page, frame } = await tab({});
    const target = frame.locator(`button[data-lead-id="${leads[0]?.id}"]`);
    await target.focus();
    await page.keyboard.press('Enter');
    await frame.locator('dialog[open]').waitFor();
    await page.keyboard.press('Escape');
    await frame.locator('dialog[open]').waitFor({ state: 'detached' });
    assert.equal(
      await target.evaluate((el) => el === document.activeElement),
      true,
      'focus back on the lead',
    );
    const outline = await target.evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused lead shows a focus ring');
  });
});
