import { type Activity, teamsGetTeamInfo, teamsGetTenant } from 'botbuilder';
import type { Lead } from '../leads/lead.js';
import type { LeadStore } from '../store/lead-store.js';

/**
 * Card data can be forged or pasted elsewhere: a click counts only where the lead lives. In a
 * team, the lead must have been posted to that team; anywhere, the tenant must be the one of a
 * team the lead was posted to.
 */
export async function isClickInPlace(lead: Lead, activity: Activity, store: LeadStore): Promise<boolean> {
  const teams = new Set(lead.deliveries.map((d) => d.teamId));
  const clickTeam = teamsGetTeamInfo(activity)?.id;
  if (clickTeam && !teams.has(clickTeam)) return false;
  const clickTenant = teamsGetTenant(activity)?.id ?? activity.conversation?.tenantId;
  const tenants = new Set<string>();
  for (const teamId of teams) {
    const installation = await store.getInstallation(teamId);
    if (installation?.tenantId) tenants.add(installation.tenantId);
  }
  // A lead no channel has seen yet (no delivery) can only be reached through `lead <id>`: allow it in the bot's tenants.
  if (tenants.size === 0) {
    for (const installation of await store.listInstallations()) tenants.add(installation.tenantId);
  }
  return clickTenant !== undefined && tenants.has(clickTenant);
}
