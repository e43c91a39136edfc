import { CardFactory, type TurnContext, teamsGetTeamInfo } from 'botbuilder';
import { assignChannel, forgetTeam } from '../../leads/routing.js';
import { describeError } from '../../log.js';
import type { BotDeps } from '../bot-deps.js';
import { renderWelcomeCard } from '../cards/welcome-card.js';
import { currentChannelId, recordInstallation } from '../installation.js';
import { viewFor } from '../turn-helpers.js';

// Teams sends both conversationUpdate and installationUpdate for one install; one welcome only.
const installing = new Map<string, Promise<void>>();

/** Added to a team: remember it, make the channel the lead channel if none is set, say hello. */
export async function installInTeam(context: TurnContext, deps: BotDeps): Promise<void> {
  const key = teamsGetTeamInfo(context.activity)?.id ?? context.activity.conversation.id;
  const previous = installing.get(key) ?? Promise.resolve();
  const run = previous.then(() => install(context, deps));
  const settled = run.catch(() => undefined);
  installing.set(key, settled);
  try {
    await run;
  } finally {
    if (installing.get(key) === settled) installing.delete(key);
  }
}

async function install(context: TurnContext, deps: BotDeps): Promise<void> {
  const recorded = await recordInstallation(context, deps);
  if (recorded) await deps.delivery.teamIsBack(recorded.installation.teamId);
  const channelId = currentChannelId(context);
  if (!recorded || !channelId || !recorded.isNew) return;
  const { installation } = recorded;
  const routing = await deps.store.getRouting();
  if (!routing.defaultChannel) {
    await deps.store.setRouting(assignChannel(routing, { teamId: installation.teamId, channelId }));
  }
  deps.log.info('installed in team', { team: installation.teamId, channels: installation.channels.length });
  const { t } = viewFor(context, deps);
  const channelName = installation.channels.find((c) => c.id === channelId)?.name ?? '';
  try {
    await deps.poster.postToChannel(
      { ...installation, channelId },
      { type: 'message', attachments: [CardFactory.adaptiveCard(renderWelcomeCard(t, { channelName }))] },
    );
  } catch (error) {
    deps.log.warn('welcome card not posted', { error: describeError(error) });
  }
  await deps.delivery.queueUndelivered(await deps.store.getRouting());
}

/** Removed from a team: stop routing there. Its leads stay stored. */
export async function uninstallFromTeam(teamId: string, deps: BotDeps): Promise<void> {
  await deps.store.removeInstallation(teamId);
  await deps.store.setRouting(forgetTeam(await deps.store.getRouting(), teamId));
  deps.log.info('removed from team', { team: teamId });
}
