import { createHash } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { Locale } from '../config/config.js';
import { CHROME, PAGES, type PageName } from './page-content.js';
import { PLAIN_FACTS, PRIVACY_WORDS, type PrivacyFacts } from './privacy-facts.js';

const PATHS: Record<PageName, string> = { home: '/', privacy: '/privacy', terms: '/terms' };

// Plain, readable, and follows the reader's light or dark setting.
export const STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --link: #1d4ed8; --rule: #d1d9e0; --code: #f3f4f6; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171a; --fg: #e6e8eb; --muted: #9aa4ae; --link: #8ab4ff; --rule: #33383e; --code: #23272c; }
}
body { margin: 0; background: var(--bg); color: var(--fg); font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header, main, footer { max-width: 42rem; margin: 0 auto; padding: 0 1.25rem; }
header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; padding-top: 1rem; padding-bottom: 0.75rem; border-bottom: 1px solid var(--rule); }
header a:first-child { font-weight: 600; margin-right: auto; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 1.5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 0.5rem; }
a { color: var(--link); }
code { background: var(--code); padding: 0.1em 0.3em; border-radius: 4px; font-size: 0.95em; }
li { margin: 0.35rem 0; }
footer { color: var(--muted); font-size: 0.9rem; margin-top: 2.5rem; padding-bottom: 2rem; }
`;

/** Nothing runs and nothing loads from elsewhere: only this page's own stylesheet is allowed. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function renderPage(name: PageName, locale: Locale, facts: PrivacyFacts = PLAIN_FACTS): string {
  const page = PAGES[locale][name];
  const words = PRIVACY_WORDS[locale];
  const body = page.body
    .trim()
    .replace('<!--WHERE-->', () => words.where(facts))
    .replace('<!--SERVICES-->', () => words.services(facts));
  const chrome = CHROME[locale];
  const link = (target: PageName, lang: Locale = locale) => `${PATHS[target]}?lang=${lang}`;
  const nav = (Object.keys(PATHS) as PageName[])
    .map((target) => `<a href="${link(target)}">${chrome.nav[target]}</a>`)
    .join('\n');
  const other = chrome.otherLanguage;
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${name === 'home' ? page.title : `${page.title} · Lead Assistant`}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
${nav}
<a href="${link(name, other.lang)}" hreflang="${other.lang}" lang="${other.lang}">${other.label}</a>
</header>
<main>
<h1>${page.title}</h1>
${body}
</main>
<footer>Lead Assistant</footer>
</body>
</html>
`;
}

/** `?lang=` wins; otherwise the first language of Accept-Language we have, by quality; else English. */
export function pickPageLocale(acceptLanguage: string | undefined, lang: string | null): Locale {
  const known = (tag: string): Locale | undefined =>
    /^en(-|$)/i.test(tag) ? 'en' : /^pt(-|$)/i.test(tag) ? 'pt-PT' : undefined;
  const forced = lang ? known(lang.trim()) : undefined;
  if (forced) return forced;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { locale: known(tag.trim()), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.locale !== undefined && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.locale ?? 'en';
}

/**
 * GET handler for one page, in the reader's language, under a strict Content-Security-Policy.
 * `facts`: what the configuration says about where data goes, so the privacy page stays true.
 */
export function createPage(name: PageName, facts: PrivacyFacts = PLAIN_FACTS) {
  const rendered = {
    en: Buffer.from(renderPage(name, 'en', facts)),
    'pt-PT': Buffer.from(renderPage(name, 'pt-PT', facts)),
  } satisfies Record<Locale, Buffer>;
  return async (req: Request, res: Response): Promise<void> => {
    const lang = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang');
    const locale = pickPageLocale(req.headers['accept-language'], lang);
    sendPage(res, 200, rendered[locale], locale);
  };
}

/** A page as every page here goes out: strict CSP, no referrer, cached briefly per language. */
export function sendPage(res: Response, status: number, html: Buffer, locale: string): void {
  // Written directly: restify has no formatter for text/html.
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': html.length,
    'Content-Language': locale,
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    Vary: 'Accept-Language',
    'Cache-Control': 'public, max-age=300',
  });
  res.end(html);
}
