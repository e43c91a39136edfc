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
