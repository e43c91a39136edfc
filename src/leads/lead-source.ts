import type { ActionCode, LeadSource, Storefront } from './lead.js';

const storefronts: Record<string, Storefront> = {
  azuremarketplace: 'AzureMarketplace',
  appsource: 'AppSource',
  spza: 'AppSource', // AppSource's internal name in the combined LeadSource form
  azureportal: 'AzurePortal',
  testdrive: 'TestDrive',
};

const actions: Record<string, ActionCode> = {
  ins: 'INS',
  plt: 'PLT',
  dnc: 'DNC',
  create: 'Create',
  starttestdrive: 'StartTestDrive',
};

// "Source-Action|publisher.offer", "Source|offer" or just "Source" (reference §4, §7).
const COMBINED = /^(?<source>[^-|]+?)\s*(?:-\s*(?<action>[^|]+?))?\s*(?:\|\s*(?<offer>.+?))?\s*$/;

/** Storefront and call to action from LeadSource and ActionCode, keeping both raw strings. */
export function parseLeadSource(rawSource: string, rawActionCode: string): LeadSource {
  const match = COMBINED.exec(rawSource);
  const sourcePart = match?.groups?.source ?? '';
  const actionPart = match?.groups?.action ?? '';
  const offerId = match?.groups?.offer;
  const action = toAction(rawActionCode) ?? toAction(actionPart) ?? 'Unknown';
  let storefront = storefronts[key(sourcePart)] ?? 'Unknown';
  if (action === 'StartTestDrive' && storefront === 'Unknown') storefront = 'TestDrive';
  return { storefront, action, raw: rawSource, rawActionCode, ...(offerId ? { offerId } : {}) };
}

function toAction(raw: string): ActionCode | undefined {
  return actions[key(raw)];
}

function key(raw: string): string {
  return raw.replace(/[\s_-]/g, '').toLowerCase();
}
