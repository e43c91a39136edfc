import type { TurnContext } from 'botbuilder';
import { pickLocale } from '../../i18n/translator.js';
import { parseTime } from '../../leads/digest-schedule.js';
import { askerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { currentChannelId } from '../installation.js';
import { viewFor } from '../turn-helpers.js';

/** `digest daily 08:30` | `digest weekly 08:30` | `digest off`, for the conversation it is written in. */
export async function setDigest(
  context: TurnContext,
  [cadence = '', time = '']: string[],
  deps: BotDeps,
): Promise<void> {
  const { t } = viewFor(context, deps);
  const activity = context.activity;
  // In a team: the channel itself (a new thread each time), not the thread the command was typed in.
  const conversationId = currentChannelId(context) ?? activity.conversation.id;
  const asker = askerOf(activity);
  const teamId = asker.teamId;
  const word = cadence.toLowerCase();
  if (word === 'off') {
    const removed = await deps.store.removeDigest(conversationId);
    await context.sendActivity(t(removed ? 'digest.off' : 'digest.none'));
    return;
  }
  const at = parseTime(time);
  if ((word !== 'daily' && word !== 'weekly') || !at) {
    await context.sendActivity(t('digest.usage'));
    return;
  }
  await deps.store.putDigest({
    conversationId,
    serviceUrl: activity.serviceUrl,
    tenantId: activity.conversation.tenantId ?? '',
    botId: activity.recipient.id,
    cadence: word,
    time: at,
    locale: pickLocale(activity.locale, deps.config.defaultLocale),
    createdAt: deps.now().toISOString(),
    // Whose leads it covers: the team's, in a channel; the reader's, in a chat (door.digestLeads).
    ...(teamId ? { teamId } : { reader: { aadObjectId: asker.aadObjectId, name: asker.name } }),
  });
  await context.sendActivity(
    t('digest.set', {
      cadence: t(word === 'daily' ? 'digest.daily' : 'digest.weekly'),
      time: at,
      zone: deps.config.timeZone,
    }),
  );
}
