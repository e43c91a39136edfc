// Shared by the tab's browser specs: Debian's Chromium (never a downloaded build), a page that may
// reach loopback only, and the local tab host's URL for a user, locale, theme and place.
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { ensureTabBuilt } from '../../scripts/build-tab.js';
import { launchChromium } from '../../scripts/chromium.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Chromium, with the tab built first if dist/tab is missing or older than its sources. */
export async function startBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}. Install it with: bash scripts/setup-browser.sh`);
  await ensureTabBuilt();
  return launchChromium();
}

/**
 * A page whose requests beyond loopback fail at once (teams-js asks a Microsoft CDN for its list of
 * hosts and falls back to its own). Console errors and CSP violations are collected.
 */
export async function openPage(
  browser: Browser,
  options: { bypassCSP?: boolean; width?: number } = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    bypassCSP: options.bypassCSP ?? false,
  });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // teams-js asks Microsoft's CDN for its list of Teams hosts; the CSP (connect-src 'self')
    // refuses, and teams-js uses the list it ships with. Anything else refused is a fault.
    if (text.includes('res.cdn.office.net/teams-js/validDomains')) return;
    if (message.type() === 'error' && /Content Security Policy|Refused to/.test(text))
      problems.push(`console: ${text}`);
  });
  return { context, page, problems };
}

export interface HostOptions {
  oid?: string;
  name?: string;
  locale?: string;
  theme?: 'default' | 'dark' | 'contrast';
  team?: string;
  width?: number;
  lead?: string;
}

export function hostUrl(base: string, options: HostOptions = {}): string {
  const query = new URLSearchParams({
    oid: options.oid ?? 'aad-megan',
    name: options.name ?? 'Megan Bowen',
    locale: options.locale ?? 'en-us',
    theme: options.theme ?? 'default',
  });
  if (options.team) query.set('team', options.team);
  if (options.width) query.set('width', String(options.width));
  if (options.lead) query.set('lead', options.lead);
  return `${base}/tab/local-host.html?${query}`;
}

/** Opens the local host and waits until the tab inside has shown its board. */
export async function openTab(page: Page, base: string, options: HostOptions = {}): Promise<FrameLocator> {
  await page.goto(hostUrl(base, options));
  const tab = page.frameLocator('#tab');
  await tab.locator('.board').waitFor({ timeout: 15_000 });
  return tab;
}

/** `#292929` → `rgb(41, 41, 41)`, as getComputedStyle reports a colour. */
export function rgb(hex: string): string {
  const n = Number.parseInt(hex.replace('#', '').slice(0, 6), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
