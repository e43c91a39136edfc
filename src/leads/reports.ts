import { campaignKey } from './campaigns.js';
import { type ActionCode, customerName, type Lead, type LeadStatus, type Storefront } from './lead.js';
import { isOpen } from './lifecycle.js';
import { type Period, receivedIn } from './period.js';
import { type PriorityLevel, priorityOf } from './priority.js';

export interface OwnerFigures {
  name: string;
  open: number;
  qualified: number;
  won: number;
  /** Open opportunities' value per currency. */
  pipeline: Record<string, number>;
}

/** Leads of the period that reached each stage (a won lead counts as assigned, qualified…). */
import type { Funnel } from './rollup-cell.js';

export type { Funnel };

export interface CampaignFigures {
  /** The campaign's name (or id); undefined for the leads that carry none. */
  campaign?: string;
  received: number;
  funnel: Funnel;
}

export interface Summary {
  period: Period;
  received: number;
  funnel: Funnel;
  /** won ÷ received, qualified ÷ received… as fractions (0 when nothing was received). */
  rates: { assigned: number; qualified: number; opportunity: number; won: number };
  /** Minutes from arrival to first claim or assignment, over leads touched. */
  firstTouch: { median?: number; p90?: number; touched: number };
  byStorefront: Partial<Record<Storefront, number>>;
  byAction: Partial<Record<ActionCode, number>>;
  /** Ranked leads per priority (do-not-contact and test leads are counted apart). */
  byPriority: Partial<Record<PriorityLevel, number>>;
  topOffers: Array<{ offer: string; count: number }>;
  /** Leads per campaign with their funnel, most leads first; leads without a campaign last. */
  byCampaign: CampaignFigures[];
  owners: OwnerFigures[];
  oldestUntouched: Array<{ id: string; who: string; receivedAt: string }>;
  testLeads: number;
  doNotContact: number;
}

/** The statuses a lead has reached a funnel stage by (the summary from leads and from rollups both count so). */
export const REACHED: Record<keyof Funnel, readonly LeadStatus[]> = {
  assigned: ['assigned', 'qualified', 'opportunity', 'won', 'lost'],
  qualified: ['qualified', 'opportunity', 'won', 'lost'],
  opportunity: ['opportunity', 'won', 'lost'],
  won: ['won'],
  lost: ['lost'],
  disqualified: ['disqualified'],
};

/** Every figure of a manager's summary, from plain leads. Test and do-not-contact leads are counted apart. */
export function summarize(all: Lead[], period: Period, offer?: string, campaign?: string): Summary {
  const { matching, leads } = reportedLeads(all, period, offer, campaign);
  const funnel = funnelOf(leads);
  const rate = (n: number) => (leads.length === 0 ? 0 : n / leads.length);
  return {
    period,
    received: leads.length,
    funnel,
    rates: {
      assigned: rate(funnel.assigned),
      qualified: rate(funnel.qualified),
      opportunity: rate(funnel.opportunity),
      won: rate(funnel.won),
    },
    firstTouch: firstTouch(leads),
    byStorefront: countBy(leads, (l) => l.source.storefront),
    byAction: countBy(leads, (l) => l.source.action),
    byPriority: countBy(leads, (l) => priorityOf(l).level),
    topOffers: Object.entries(countBy(leads, (l) => l.offerTitle || '—'))
      .map(([name, count]) => ({ offer: name, count: count ?? 0 }))
      .sort((a, b) => b.count - a.count || a.offer.localeCompare(b.offer))
      .slice(0, 5),
    byCampaign: campaignFigures(leads),
    owners: ownerFigures(leads),
    oldestUntouched: leads
      .filter((l) => l.status === 'new')
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
      .slice(0, 5)
      .map((l) => ({
        id: l.id,
        who: customerName(l.customer) || l.customer.company,
        receivedAt: l.receivedAt,
      })),
    testLeads: matching.filter((l) => l.isTest).length,
    doNotContact: matching.filter((l) => l.doNotContact && !l.isTest).length,
  };
}

function funnelOf(leads: Lead[]): Funnel {
  const reached = (stage: keyof typeof REACHED) =>
    leads.filter((l) => l.history.some((h) => h.to !== undefined && REACHED[stage].includes(h.to))).length;
  return {
    assigned: reached('assigned'),
    qualified: reached('qualified'),
    opportunity: reached('opportunity'),
    won: reached('won'),
    lost: reached('lost'),
    disqualified: reached('disqualified'),
  };
}

/** `summary … campaign <name>`: the campaign's name or id, whatever the case and spacing. */
export function inCampaign(lead: Pick<Lead, 'campaign'>, wanted: string): boolean {
  const norm = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
  const target = norm(wanted);
  return target !== '' && (norm(lead.campaign?.name) === target || norm(lead.campaign?.id) === target);
}

function campaignFigures(leads: Lead[]): CampaignFigures[] {
  const groups = new Map<string | undefined, Lead[]>();
  for (const lead of leads) {
    const key = campaignKey(lead);
    const group = groups.get(key);
    if (group) group.push(lead);
    else groups.set(key, [lead]); // pushed, not copied: a month of 10,000 leads in one group
  }
  return [...groups.entries()]
    .map(([name, members]) => ({
      ...(name === undefined ? {} : { campaign: name }),
      received: members.length,
      funnel: funnelOf(members),
    }))
    .sort(byCampaign);
}

/** Campaigns by leads received, the leads with none last, then by name. */
export function byCampaign(a: CampaignFigures, b: CampaignFigures): number {
  return (
    Number(a.campaign === undefined) - Number(b.campaign === undefined) ||
    b.received - a.received ||
    (a.campaign ?? '').localeCompare(b.campaign ?? '')
  );
}

/**
 * The leads a report counts: received in the period (and of the offer or campaign, if named), with
 * test and do-not-contact leads apart (`matching` still has them). Charts read the same set.
 */
export function reportedLeads(
  all: Lead[],
  period: Period,
  offer?: string,
  campaign?: string,
): { matching: Lead[]; leads: Lead[] } {
  const matching = all
    .filter(receivedIn(period.from, period.to))
    .filter((l) => !offer || l.offerTitle.toLowerCase().includes(offer.toLowerCase()))
    .filter((l) => !campaign || inCampaign(l, campaign));
  return { matching, leads: matching.filter((l) => !l.isTest && !l.doNotContact) };
}

/** Minutes from arrival to the first claim, assignment or qualification; undefined if untouched. */
export function firstTouchMinutes(lead: Lead): number | undefined {
  const touch = lead.history.find(
    (h) => h.action === 'claim' || h.action === 'assign' || h.action === 'qualify',
  );
  return touch ? (Date.parse(touch.at) - Date.parse(lead.receivedAt)) / 60_000 : undefined;
}

function firstTouch(leads: Lead[]): Summary['firstTouch'] {
  const minutes = leads
    .map(firstTouchMinutes)
    .filter((m): m is number => m !== undefined)
    .sort((a, b) => a - b);
  if (minutes.length === 0) return { touched: 0 };
  return { median: percentile(minutes, 0.5), p90: percentile(minutes, 0.9), touched: minutes.length };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? 0;
}

function ownerFigures(leads: Lead[]): OwnerFigures[] {
  const byOwner = new Map<string, OwnerFigures>();
  for (const lead of leads) {
    if (!lead.owner) continue;
    const figures = byOwner.get(lead.owner.aadObjectId) ?? {
      name: lead.owner.name,
      open: 0,
      qualified: 0,
      won: 0,
      pipeline: {},
    };
    if (isOpen(lead)) figures.open++;
    if (REACHED.qualified.includes(lead.status)) figures.qualified++;
    if (lead.status === 'won') figures.won++;
    if (lead.status === 'opportunity' && lead.opportunity) {
      const { currency, value } = lead.opportunity;
      figures.pipeline[currency] = (figures.pipeline[currency] ?? 0) + value;
    }
    byOwner.set(lead.owner.aadObjectId, figures);
  }
  return [...byOwner.values()].sort(
    (a, b) => b.open + b.won - (a.open + a.won) || a.name.localeCompare(b.name),
  );
}

function countBy<K extends string>(leads: Lead[], key: (lead: Lead) => K): Partial<Record<K, number>> {
  const counts: Partial<Record<K, number>> = {};
  for (const lead of leads) counts[key(lead)] = (counts[key(lead)] ?? 0) + 1;
  return counts;
}
