// Activities as Teams sends them to /api/messages, for tests. Shapes follow
// reference/teams-platform.md (install events, Action.Execute invokes, channel messages).

export const TENANT_ID = 'tenant-0001';
export const TEAM_ID = '19:general-team-1@thread.tacv2';
export const LEADS_CHANNEL_ID = '19:leads-channel@thread.tacv2';
export const BOT_ID = '28:lead-assistant-bot';

export interface TeamsUser {
  id: string;
  aadObjectId: string;
  name: string;
}

export const megan: TeamsUser = { id: '29:megan', aadObjectId: 'aad-megan', name: 'Megan Bowen' };
export const alex: TeamsUser = { id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };

function base(serviceUrl: string, conversationId: string, from: TeamsUser, channelId = LEADS_CHANNEL_ID) {
  return {
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    id: `act-${Math.random().toString(36).slice(2)}`,
    from: { id: from.id, aadObjectId: from.aadObjectId, name: from.name },
    recipient: { id: BOT_ID, name: 'Lead Assistant' },
    conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
    channelData: {
      tenant: { id: TENANT_ID },
      team: { id: TEAM_ID, name: 'Sales' },
      channel: { id: channelId },
    },
    locale: 'en-US',
  };
}

/** The bot added to the Sales team, installed from (and into) the Leads channel. */
export function installActivity(serviceUrl: string, by: TeamsUser = alex) {
  const activity = base(serviceUrl, LEADS_CHANNEL_ID, by);
  return {
    ...activity,
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT_ID }],
    channelData: { ...activity.channelData, eventType: 'teamMemberAdded' },
  };
}

export function installationUpdateActivity(serviceUrl: string, by: TeamsUser = alex) {
  const activity = base(serviceUrl, LEADS_CHANNEL_ID, by);
  return {
    ...activity,
    type: 'installationUpdate',
    action: 'add',
    channelData: { ...activity.channelData, settings: { selectedChannel: { id: LEADS_CHANNEL_ID } } },
  };
}

/** A click on an Action.Execute button of the card posted as `activityId` in thread `threadId`. */
export function cardActionActivity(
  serviceUrl: string,
  options: {
    threadId: string;
    activityId: string;
    verb: string;
    data: Record<string, unknown>;
    from?: TeamsUser;
    locale?: string;
  },
) {
  return {
    ...base(serviceUrl, options.threadId, options.from ?? megan),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: options.activityId,
    locale: options.locale ?? 'en-US',
    value: {
      action: { type: 'Action.Execute', id: 'action-1', verb: options.verb, data: options.data },
      trigger: 'manual',
    },
  };
}

/** A message to the bot in a channel, with the @mention Teams puts in the text. */
export function channelMessage(
  serviceUrl: string,
  text: string,
  from: TeamsUser = alex,
  channelId = LEADS_CHANNEL_ID,
) {
  return {
    ...base(serviceUrl, channelId, from, channelId),
    type: 'message',
    text: `<at>Lead Assistant</at> ${text}`,
    entities: [
      { type: 'mention', text: '<at>Lead Assistant</at>', mentioned: { id: BOT_ID, name: 'Lead Assistant' } },
    ],
  };
}

/** A CSV file a user shares with the bot, as Teams sends it (a personal chat unless told). */
export function sharedFileActivity(
  serviceUrl: string,
  from: TeamsUser,
  downloadUrl: string,
  conversationType = 'personal',
) {
  return {
    channelId: 'msteams',
    serviceUrl,
    type: 'message',
    id: `act-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    from: { id: from.id, aadObjectId: from.aadObjectId, name: from.name },
    recipient: { id: BOT_ID, name: 'Lead Assistant' },
    conversation: { id: `a:personal-${from.id}`, conversationType, tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    locale: 'en-US',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.teams.file.download.info',
        name: 'marketplace-leads.csv',
        content: { downloadUrl, uniqueId: 'file-1', fileType: 'csv' },
      },
    ],
  };
}

/** A message extension invoke (`composeExtension/query`, `…/queryLink`) from a group chat, as Teams sends it. */
export function messageExtensionActivity(
  serviceUrl: string,
  name: 'composeExtension/query' | 'composeExtension/queryLink',
  value: unknown,
  options: { from?: TeamsUser; locale?: string; teamId?: string } = {},
) {
  const from = options.from ?? megan;
  const activity = base(serviceUrl, '19:chat-sales@thread.v2', from);
  return {
    ...activity,
    type: 'invoke',
    name,
    value,
    locale: options.locale ?? 'en-US',
    conversation: { id: '19:chat-sales@thread.v2', conversationType: 'groupChat', tenantId: TENANT_ID },
    // From a chat Teams names no team; from a team's channel it does, and the view narrows to it.
    channelData: {
      tenant: { id: TENANT_ID },
      ...(options.teamId ? { team: { id: options.teamId }, channel: { id: LEADS_CHANNEL_ID } } : {}),
    },
  };
}
