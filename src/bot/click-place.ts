import { type Activity, teamsGetTeamInfo, teamsGetTenant } from 'botbuilder';
import type { Lead } from '../leads/lead.js';
import type { LeadStore } from '../leads/store.js';
import { isInPlace, type Place } from '../leads/workflow.js';

/** Where a click or message came from, as the workflow's access rules read it. */
export function placeOf(activity: Activity): Place {
  const teamId = teamsGetTeamInfo(activity)?.id;
  const tenantId = teamsGetTenant(activity)?.id ?? activity.conversation?.tenantId;
  return { ...(teamId ? { teamId } : {}), ...(tenantId ? { tenantId } : {}) };
}

/** Card data can be forged or pasted elsewhere: a click counts only where the lead lives. */
export function isClickInPlace(lead: Lead, activity: Activity, store: LeadStore): Promise<boolean> {
  return isInPlace(lead, placeOf(activity), store);
}
