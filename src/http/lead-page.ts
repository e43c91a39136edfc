import type { Request, Response } from 'restify';
import type { Locale } from '../config/config.js';
import { normaliseLeadId } from '../leads/lead-id.js';
import { tabDeepLink } from '../leads/lead-links.js';
import { LEAD_PAGE } from './page-content.js';
import { pickPageLocale, STYLE, sendPage } from './pages.js';

// GET /leads/<id>: the lead link's page. It reads nothing from the store, so it answers the same
// for a lead that exists, one that does not and one the reader may not see: it says nothing about
// the lead, and the Leads tab decides, with the reader signed in, what they see there.

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The page for `id` (already checked) that sends the browser to `target`, or only says where to look. */
export function renderLeadPage(id: string | undefined, locale: Locale, target: string | undefined): string {
  const words = LEAD_PAGE[locale];
  const link = target ? escapeAttribute(target) : undefined;
  const title = id ? words.title(id) : words.notALink.title;
  const body = id ? words.body(id, link) : words.notALink.body;
  // A meta refresh, not a script: the CSP allows none, and a redirect status would say nothing to
  // a browser that does not follow it.
  const refresh = id && link ? `<meta http-equiv="refresh" content="0; url=${link}">\n` : '';
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
${refresh}<title>${title} · Lead Assistant</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
<footer>Lead Assistant</footer>
</body>
</html>
`;
}

/** `appId`: the Teams app whose Leads tab opens (the card's deep link); none in local mode. */
export function createLeadPage(appId: string | undefined) {
  return async (req: Request, res: Response): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const locale = pickPageLocale(req.headers['accept-language'], url.searchParams.get('lang'));
    const raw = /^\/leads\/([^/]{1,40})\/?$/.exec(url.pathname)?.[1];
    let id: string | undefined;
    try {
      id = raw ? normaliseLeadId(decodeURIComponent(raw)) : undefined;
    } catch {
      id = undefined;
    }
    const target = id && appId ? tabDeepLink(appId, id) : undefined;
    const html = Buffer.from(renderLeadPage(id, locale, target));
    sendPage(res, id ? 200 : 404, html, locale);
  };
}
