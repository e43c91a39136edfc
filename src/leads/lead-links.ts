import { normaliseLeadId } from './lead-id.js';

// Where a lead can be opened: its public address, https://<BOT_DOMAIN>/leads/<id>, https://<BOT_DOMAIN>/leads/<id>: what the cards offer to copy, what
// the message extension unfurls, and a page (src/http/lead-page.ts) that opens the Leads tab at it
// through the tab's deep link. Plain strings: every surface builds its links here.

/** The lead's link on this server's public host name. */
export function leadLink(domain: string, leadId: string): string {
  return `https://${domain}/leads/${encodeURIComponent(leadId)}`;
}

/**
 * The lead id a pasted link names, if it is one of ours: https, exactly our host (no port, no
 * credentials), `/leads/<id>` with an optional trailing slash; a query or a fragment is ignored.
 * Anything else, however close, is undefined.
 */
export function leadIdFromLink(url: string, domain: string): string | undefined {
  if (!domain || url.length > 2048) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return undefined;
  if (parsed.hostname.toLowerCase() !== domain.toLowerCase()) return undefined;
  const match = /^\/leads\/([^/]+)\/?$/.exec(parsed.pathname);
  if (!match?.[1]) return undefined;
  let segment: string;
  try {
    segment = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return normaliseLeadId(segment);
}

/** The Leads tab's entityId in manifest/manifest.json's staticTabs. */
export const LEADS_TAB_ENTITY_ID = 'leads';

/**
 * A Teams deep link that opens the personal Leads tab on one lead: the tab reads the lead id from
 * its context (`page.subPageId`, which Teams fills from `subEntityId`). `appId` is the app's
 * manifest id (the bot's app id here; an app from the org catalogue has its own).
 */
export function tabDeepLink(appId: string, leadId: string): string {
  const context = encodeURIComponent(JSON.stringify({ subEntityId: leadId }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(appId)}/${LEADS_TAB_ENTITY_ID}?context=${context}`;
}
