// Campaign data a lead carries in its Description (marketplace-leads.md §2.2): a "Campaigns: …"
// line, or a JSON object (or query string) of listing-URL parameters such as mktcmpid and utm_*.
// Parsed into fields; whatever is not recognisably campaign data stays in the description as sent.
import type { Campaign, Lead } from './lead.js';

/** Parameters that mark a JSON object or query string as campaign data rather than a customer's note. */
const CAMPAIGN_KEY = /^(?:mktcmpid|partnerid|ocid|wt\.mc_id|utm_[a-z0-9_]+)$/;
const LABEL = /^campaigns?\s*:\s*(.*)$/i;
const QUERY = /^\??[\w.-]+=[^&\s]*(?:&[\w.-]+=[^&\s]*)*$/;
const MAX_PARAMS = 30;
const MAX_KEY = 40;
const MAX_VALUE = 200;
export const MAX_CAMPAIGN_NAME = 100;

export interface DescriptionParts {
  campaign?: Campaign;
  /** The description without the campaign data ('' when it was only campaign data). */
  description: string;
}

/** Splits campaign data off a lead's description. Pure; unknown shapes come back untouched. */
export function parseCampaignDescription(description: string): DescriptionParts {
  const whole = jsonParams(description.trim());
  if (whole) return withCampaign(toCampaign(whole), '');
  const params: Record<string, string> = {};
  let label: string | undefined;
  let found = false;
  const kept: string[] = [];
  for (const line of description.split(/\r?\n/)) {
    const text = line.trim();
    const labelled = LABEL.exec(text);
    const rest = labelled?.[1]?.trim();
    const fromLine = labelled
      ? rest && (jsonParams(rest) ?? queryParams(rest))
      : (jsonParams(text) ?? queryParams(text));
    if (fromLine) Object.assign(params, fromLine);
    else if (labelled && rest) label = bounded(rest, MAX_CAMPAIGN_NAME);
    else if (!labelled) {
      kept.push(line);
      continue;
    }
    found = true;
  }
  if (!found) return { description };
  return withCampaign(toCampaign(params, label), kept.join('\n').trim());
}

/** Campaign data with no value at all (`Campaigns: `, `{"mktcmpid":""}`) leaves no campaign behind. */
function withCampaign(campaign: Campaign, description: string): DescriptionParts {
  const empty = Object.keys(campaign).length === 1 && Object.keys(campaign.params).length === 0;
  return empty ? { description } : { campaign, description };
}

/** What a lead is counted under in `summary … by campaign`: its campaign's name, else its id. */
export function campaignKey(lead: Pick<Lead, 'campaign'>): string | undefined {
  return lead.campaign?.name ?? lead.campaign?.id;
}

/** A manager's tag: the name is set, what the lead carried (parameters, id) is kept. */
export function tagCampaign(current: Campaign | undefined, name: string): Campaign {
  return { ...(current ?? { params: {} }), name: bounded(name, MAX_CAMPAIGN_NAME) };
}

function toCampaign(params: Record<string, string>, label?: string): Campaign {
  const pick = (key: string) => (params[key] ? { [key]: params[key] } : {});
  const name = params.utm_campaign ?? label;
  return {
    ...(name ? { name } : {}),
    ...(params.mktcmpid ? { id: params.mktcmpid } : {}),
    ...renameKey(pick('utm_source'), 'source'),
    ...renameKey(pick('utm_medium'), 'medium'),
    ...renameKey(pick('utm_term'), 'term'),
    ...renameKey(pick('utm_content'), 'content'),
    params,
  };
}

function renameKey(picked: Record<string, string>, to: string): Record<string, string> {
  const value = Object.values(picked)[0];
  return value ? { [to]: value } : {};
}

/** A flat JSON object with at least one campaign parameter; anything else is not ours to take. */
function jsonParams(text: string): Record<string, string> | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.every(([, v]) => typeof v === 'string' || typeof v === 'number' || v === null))
    return undefined;
  return campaignParams(entries.map(([k, v]) => [k, v == null ? '' : String(v)]));
}

/** `utm_source=x&utm_campaign=y` (a pasted query string), with at least one campaign parameter. */
function queryParams(text: string): Record<string, string> | undefined {
  if (!QUERY.test(text)) return undefined;
  const pairs = text
    .replace(/^\?/, '')
    .split('&')
    .map((pair): [string, string] => {
      const [key = '', value = ''] = pair.split('=');
      return [key, safeDecode(value)];
    });
  return campaignParams(pairs);
}

function campaignParams(pairs: Array<[string, string]>): Record<string, string> | undefined {
  if (pairs.length === 0 || pairs.length > MAX_PARAMS) return undefined;
  const params: Record<string, string> = {};
  let known = false;
  for (const [rawKey, rawValue] of pairs) {
    const key = rawKey.trim().toLowerCase();
    if (key === '' || key.length > MAX_KEY) return undefined;
    known ||= CAMPAIGN_KEY.test(key);
    const value = bounded(rawValue, MAX_VALUE);
    if (value !== '') params[key] = value;
  }
  return known ? params : undefined;
}

function bounded(value: string, max: number): string {
  return [...value.trim()].slice(0, max).join('');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
