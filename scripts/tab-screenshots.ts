// `npm run screenshots` (last step): the Leads tab in the local tab host, headless Debian Chromium,
// writing docs/screenshots/tab-*.png: English light, Portuguese dark, high contrast, phone width,
// a lead's details, the charts, and the manager's Automatic assignment panel (en and pt-PT, light
// and dark). The app runs in this process on fresh temp data, in local mode
// with the fake Bot Connector, and a demo pipeline worked on its cards first.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { TEAM_ID } from '../test/fakes/activities.js';
import { defaultMembers } from '../test/fakes/fake-connector.js';
import { TeamsHarness } from '../test/http/harness.js';
import { openPage, openTab, startBrowser } from '../test/tab/browser.js';
import { seedDemoPipeline } from '../test/tab/demo-leads.js';
import { DEMO_EXTRA_MEMBERS, seedDemoRotation } from '../test/tab/demo-rotation.js';

const OUT = 'docs/screenshots';

async function shoot(page: Page, name: string): Promise<void> {
  // Let web components settle and fonts paint before the picture.
  await page.evaluate(
    'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
  );
  await page.locator('#tab').screenshot({ path: `${OUT}/${name}` });
  process.stdout.write(`wrote ${OUT}/${name}\n`);
}

mkdirSync(OUT, { recursive: true });
// The demo happens over six weeks: the app reads this clock, which the seed moves and then leaves at now.
let current = new Date();
const clock = {
  set(at: Date) {
    current = at;
  },
};
const teams = await TeamsHarness.start({
  env: { MANAGERS: 'aad-megan' },
  app: { now: () => current },
  members: [...defaultMembers, ...DEMO_EXTRA_MEMBERS],
});
const browser = await startBrowser();
try {
  const leads = await seedDemoPipeline(teams, clock);
  await seedDemoRotation(teams, leads);
  const base = teams.harness.url;
  const view = async (width: number, height: number) => {
    const { page } = await openPage(browser, { width });
    await page.setViewportSize({ width, height });
    return page;
  };

  let page = await view(1440, 900);
  await openTab(page, base, { team: TEAM_ID });
  await shoot(page, 'tab-board-en-light.png');
  const tab = page.frameLocator('#tab');
  // Tall enough for the whole of a worked lead's details (at 900 px the history was cut off).
  await page.setViewportSize({ width: 1440, height: 1500 });
  await tab.locator(`.board button[data-lead-id="${leads[0]?.id}"]`).click();
  await tab.locator('dialog[open] .history li').first().waitFor();
  await shoot(page, 'tab-details.png');
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1440, height: 900 });
  await tab.locator('[data-view="charts"]').click();
  await tab.locator('.charts .hbar').first().waitFor();
  await shoot(page, 'tab-charts.png');

  page = await view(1440, 900);
  await openTab(page, base, { team: TEAM_ID, locale: 'pt-pt', theme: 'dark' });
  await shoot(page, 'tab-board-pt-dark.png');

  page = await view(1440, 900);
  await openTab(page, base, { team: TEAM_ID, theme: 'contrast' });
  await shoot(page, 'tab-contrast.png');

  page = await view(420, 900);
  await openTab(page, base, { team: TEAM_ID, width: 375 });
  await shoot(page, 'tab-phone.png');

  for (const [locale, suffix] of [
    ['en-us', 'en'],
    ['pt-pt', 'pt-PT'],
  ] as const)
    for (const theme of ['default', 'dark'] as const) {
      page = await view(1440, 900);
      const tab = await openTab(page, base, { team: TEAM_ID, locale, theme });
      await tab.locator('#auto-assign summary').click();
      await tab.locator('#auto-assign table.rotation tbody tr').first().waitFor();
      await shoot(page, `tab-rotation-${suffix}-${theme === 'dark' ? 'dark' : 'light'}.png`);
    }
} finally {
  await browser.close();
  await teams.stop();
}
