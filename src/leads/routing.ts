import type { Delivery, IncomingLead, Storefront } from './lead.js';
import type { ChannelTarget, Routing } from './store.js';

/** The channel a lead goes to: its storefront's channel if one is set, else the default. */
export function routeLead(
  lead: Pick<IncomingLead, 'source' | 'isTest'>,
  routing: Routing,
): ChannelTarget | undefined {
  if (lead.isTest) return undefined;
  return routing.byStorefront[lead.source.storefront] ?? routing.defaultChannel;
}

export function pendingDelivery(target: ChannelTarget): Delivery {
  return { teamId: target.teamId, conversationId: target.channelId, state: 'pending', attempts: 0 };
}

/** `use this channel for appsource leads` → sets that storefront; without one, the default. */
export function assignChannel(routing: Routing, target: ChannelTarget, storefront?: Storefront): Routing {
  if (!storefront) return { ...routing, defaultChannel: target };
  return { ...routing, byStorefront: { ...routing.byStorefront, [storefront]: target } };
}

/** Drops every route into a team the bot has left. */
export function forgetTeam(routing: Routing, teamId: string): Routing {
  const byStorefront = Object.fromEntries(
    Object.entries(routing.byStorefront).filter(([, target]) => target?.teamId !== teamId),
  );
  const defaultChannel = routing.defaultChannel?.teamId === teamId ? undefined : routing.defaultChannel;
  return { byStorefront, ...(defaultChannel ? { defaultChannel } : {}) };
}
