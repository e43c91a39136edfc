import assert from 'node:assert/strict';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import type { AutoAssign } from '../../src/leads/auto-assign.js';
import type { Lead } from '../../src/leads/lead.js';
import { TEAM_ID } from '../fakes/activities.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness } from '../http/harness.js';
import { buyer } from '../http/tab-client.js';
import { type HostOptions, openPage, openTab, startBrowser } from './browser.js';

describe('the Leads tab’s automatic assignment panel (headless Chromium)', function () {
  this.timeout(60_000);
  let teams: TeamsHarness;
  let browser: Browser;
  let lead: Lead;
  // `away until <day>` keeps Megan away to the end of that day: she is back at the next midnight
  // (the browser and this process share the machine's time zone).
  const lastDay = new Date();
  lastDay.setHours(12, 0, 0, 0);
  lastDay.setDate(lastDay.getDate() + 4);
  const backOn = new Date(lastDay);
  backOn.setHours(24, 0, 0, 0);
  const open: BrowserContext[] = [];

  before(async () => {
    browser = await startBrowser();
    teams = await TeamsHarness.start({ env: { MANAGERS: 'aad-megan' } });
    const store = teams.harness.app.store;
    await store.updateAutoAssign(
      TEAM_ID,
      (): AutoAssign => ({
        teamId: TEAM_ID,
        enabled: true,
        only: ['meganb@contoso.com', 'alexw@contoso.com'],
        capacity: 3,
        rules: [{ field: 'country', values: ['PT', 'BR'], to: ['meganb@contoso.com'] }],
        turns: {},
      }),
    );
    await store.putAway({
      aadObjectId: 'aad-megan',
      name: 'Megan Bowen',
      until: backOn.toISOString(),
      setAt: new Date().toISOString(),
    });
    lead = await teams.postedLead(leadFixture('contact-me')); // Megan is away: Alex's turn
  });
  after(async () => {
    for (const context of open) await context.close();
    await browser?.close();
    await teams?.stop();
  });

  /** The tab in a host page, with every call it makes to the rotation's route counted. */
  async function tab(
    options: HostOptions,
  ): Promise<{ page: Page; tab: FrameLocator; asked: string[]; problems: string[] }> {
    const opened = await openPage(browser);
    open.push(opened.context);
    const asked: string[] = [];
    opened.page.on('request', (r) => {
      if (r.url().includes('/api/tab/auto-assign')) asked.push(r.url());
    });
    const frame = await openTab(opened.page, teams.harness.url, options);
    return { page: opened.page, tab: frame, asked, problems: opened.problems };
  }

  const row = (tab: FrameLocator, oid: string) => tab.locator(`#auto-assign tr[data-person="${oid}"]`);
  const cell = (tab: FrameLocator, oid: string, name: string) =>
    row(tab, oid).locator(`[data-cell="${name}"]`);

  it('shows a manager, in a team, who is in the rotation and why, read-only', async () => {
    assert.equal(lead.owner?.aadObjectId, 'aad-alex');
    const { tab: frame, problems } = await tab({ team: TEAM_ID });
    const summary = frame.locator('#auto-assign summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /^Automatic assignmentOn2 in the rotation$/);
    await summary.click();
    await row(frame, 'aad-alex').waitFor();
    assert.equal(await cell(frame, 'aad-alex', 'inRotation').textContent(), 'Yes');
    assert.equal(await cell(frame, 'aad-alex', 'openLeads').textContent(), '1');
    assert.match((await cell(frame, 'aad-alex', 'lastAssigned').textContent()) ?? '', /minute|now/);
    assert.equal(await cell(frame, 'aad-alex', 'awayUntil').textContent(), '—');
    const until = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(lastDay);
    assert.equal(await cell(frame, 'aad-megan', 'awayUntil').textContent(), until);
    assert.equal(await cell(frame, 'aad-megan', 'lastAssigned').textContent(), 'Never');
    assert.equal(await cell(frame, 'aad-megan', 'full').textContent(), 'No');
    const body = (await frame.locator('#auto-assign .auto-assign-body').textContent()) ?? '';
    assert.ok(body.includes('New leads of Sales are given to someone as they arrive.'), body);
    assert.ok(body.includes('anyone holding 3 or more open leads is skipped'));
    assert.ok(body.includes('Country is Portugal or Brazil → meganb@contoso.com'));
    assert.equal(await row(frame, 'aad-guest').count(), 0, 'a guest is never on the roster');
    assert.equal(
      await frame.locator('#auto-assign').locator('button, input, select, fluent-button').count(),
      0,
      'nothing to change here: the commands do that',
    );
    assert.deepEqual(problems, [], 'no script error and nothing the CSP refused');
  });

  it('reads Portuguese and dark', async () => {
    const { tab: frame } = await tab({ team: TEAM_ID, locale: 'pt-pt', theme: 'dark' });
    const summary = frame.locator('#auto-assign summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /^Atribuição automáticaLigada2 pessoas na rotação$/);
    await summary.click();
    await frame.getByText('País é Portugal ou Brasil → meganb@contoso.com').waitFor();
    await frame.locator('#auto-assign th', { hasText: 'Ausente até' }).waitFor();
    assert.equal(await cell(frame, 'aad-alex', 'inRotation').textContent(), 'Sim');
  });

  it('is not there for a member, nor in the personal tab, and the tab does not ask for it', async () => {
    const member = await tab({ team: TEAM_ID, oid: 'aad-alex', name: 'Alex Wilber' });
    await member.tab.locator(`.board button[data-lead-id="${lead.id}"]`).waitFor();
    await member.tab.getByText('Pipeline of Sales · Alex Wilber').waitFor(); // /me has answered
    assert.equal(await member.tab.locator('#auto-assign').count(), 0);
    assert.deepEqual(member.asked, []);
    const personal = await tab({});
    await personal.tab.getByText('My leads · Megan Bowen').waitFor();
    assert.equal(await personal.tab.locator('#auto-assign').count(), 0);
    assert.deepEqual(personal.asked, []);
  });

  it('says in a lead’s history that Lead Assistant gave it, and how', async () => {
    const { tab: frame } = await tab({ team: TEAM_ID, lead: lead.id });
    const entry = frame.locator('dialog[open] .history li[data-action="assign"]');
    await entry.waitFor();
    assert.match(String(await entry.textContent()), /Lead Assistant.*Assigned.*round robin/s);
    assert.match(String(await entry.locator('blockquote').textContent()), /Alex Wilber/);
  });

  it('follows a lead given automatically while the panel is open, without a reload', async () => {
    const { tab: frame } = await tab({ team: TEAM_ID });
    await frame.locator('#auto-assign summary').click();
    await row(frame, 'aad-alex').waitFor();
    assert.equal(await cell(frame, 'aad-alex', 'openLeads').textContent(), '1');
    const next = await teams.postedLead(buyer(2)); // Megan still away: Alex again
    assert.equal(next.owner?.aadObjectId, 'aad-alex');
    // The tab's poll sees the new lead, and the open panel is read again with it.
    await cell(frame, 'aad-alex', 'openLeads').filter({ hasText: /^2$/ }).waitFor({ timeout: 15_000 });
  });
});
