import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';

/** A message as Teams takes it (text, attachments, an id to update): what the outbox and the scheduler hand over. */
export type TeamsMessage = Partial<Activity>;

/** Where and as whom to post: what an installation recorded about the team. */
export interface PostTarget {
  serviceUrl: string;
  tenantId: string;
  botId: string;
  channelId: string;
}

export interface PostedCard {
  /** Id of the root message, used to update the card for everyone. */
  activityId: string;
  /** Conversation id of the new thread (`<channel>;messageid=<activityId>`). */
  threadId: string;
}

export interface CardPoster {
  postToChannel(target: PostTarget, activity: Partial<Activity>): Promise<PostedCard>;
  updateActivity(
    target: Omit<PostTarget, 'channelId'> & { conversationId: string },
    activity: Partial<Activity> & { id: string },
  ): Promise<void>;
  /** Posts into an existing conversation, e.g. a reply in a card's thread (`…;messageid=…`). */
  postToConversation(
    target: Omit<PostTarget, 'channelId'>,
    conversationId: string,
    activity: Partial<Activity>,
  ): Promise<void>;
  /** Opens (or reuses) the personal chat with a Teams user (`29:…`) and posts there. */
  postToUser(
    target: Omit<PostTarget, 'channelId'>,
    userId: string,
    activity: Partial<Activity>,
  ): Promise<void>;
}

/**
 * Posts through the Bot Connector with CloudAdapter. It calls createConversation itself because
 * TeamsInfo.sendMessageToTeamsChannel, on CloudAdapter, returns the thread id where the message
 * id should be (see reference/teams-platform.md §2.2).
 */
export function createTeamsPoster(adapter: CloudAdapter, botAppId: string): CardPoster {
  const inConversation = (
    target: Omit<PostTarget, 'channelId'>,
    conversationId: string,
  ): Partial<ConversationReference> => ({
    channelId: 'msteams',
    serviceUrl: target.serviceUrl,
    bot: { id: target.botId, name: '' },
    conversation: {
      id: conversationId,
      isGroup: true,
      conversationType: 'channel',
      tenantId: target.tenantId,
      name: '',
    },
  });

  /**
   * continueConversationAsync hands an error in `logic` to onTurnError and resolves: the error is
   * kept and rethrown here, so callers (the outbox above all) know the post failed.
   */
  const inTurn = async (
    target: Omit<PostTarget, 'channelId'>,
    conversationId: string,
    logic: (context: TurnContext, client: ConnectorClient) => Promise<void>,
  ): Promise<void> => {
    let failure: unknown;
    await adapter.continueConversationAsync(
      botAppId,
      inConversation(target, conversationId),
      async (context) => {
        try {
          await logic(
            context,
            withoutSdkRetries(context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey)),
          );
        } catch (error) {
          failure = error;
        }
      },
    );
    if (failure !== undefined) throw failure;
  };

  return {
    async postToChannel(target, activity) {
      let posted: PostedCard | undefined;
      await inTurn(target, target.channelId, async (_context, client) => {
        const response = await client.conversations.createConversation({
          isGroup: true,
          bot: { id: target.botId, name: '' },
          tenantId: target.tenantId,
          channelData: { channel: { id: target.channelId }, tenant: { id: target.tenantId } },
          activity: activity as Activity,
          members: [],
        });
        const activityId = response.activityId ?? parseMessageId(response.id);
        if (!activityId) throw new Error('The connector created the thread but returned no message id.');
        posted = { activityId, threadId: response.id ?? `${target.channelId};messageid=${activityId}` };
      });
      if (!posted) throw new Error('The connector call did not run.');
      return posted;
    },

    async postToConversation(target, conversationId, activity) {
      await inTurn(target, conversationId, async (context) => {
        await context.sendActivity(activity);
      });
    },

    async postToUser(target, userId, activity) {
      await inTurn(target, target.botId, async (_context, client) => {
        const chat = await client.conversations.createConversation({
          isGroup: false,
          bot: { id: target.botId, name: '' },
          members: [{ id: userId, name: '' }],
          tenantId: target.tenantId,
          channelData: { tenant: { id: target.tenantId } },
        });
        await client.conversations.sendToConversation(chat.id, activity as Activity);
      });
    },

    async updateActivity(target, activity) {
      await inTurn(target, target.conversationId, async (context) => {
        await context.updateActivity(activity);
      });
    },
  };
}

/**
 * The connector client retries 429/5xx itself, in memory, about 5 s per call; the outbox does
 * it durably instead (stored schedule, Retry-After, survives restarts), so the SDK's retry phase
 * is taken out. botbuilder ignores its own `noRetryPolicy` option, hence the pipeline call.
 */
function withoutSdkRetries(client: ConnectorClient): ConnectorClient {
  const pipeline = (
    client as unknown as { client?: { pipeline?: { removePolicy(o: { phase: string }): unknown } } }
  ).client?.pipeline;
  pipeline?.removePolicy({ phase: 'Retry' });
  return client;
}

function parseMessageId(conversationId: string | undefined): string | undefined {
  return conversationId?.match(/;messageid=(\d+|[^;]+)$/)?.[1];
}
