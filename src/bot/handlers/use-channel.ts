import { type TurnContext, teamsGetTeamInfo } from 'botbuilder';
import type { Storefront } from '../../leads/lead.js';
import { storefrontLabelKey } from '../../leads/marketplace-payload.js';
import { viewerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { currentChannelId, recordInstallation } from '../installation.js';
import { viewFor } from '../turn-helpers.js';

const storefrontWords: Record<string, Storefront | undefined> = {
  '': undefined,
  all: undefined,
  new: undefined,
  appsource: 'AppSource',
  'azure marketplace': 'AzureMarketplace',
  marketplace: 'AzureMarketplace',
  'azure portal': 'AzurePortal',
  'test drive': 'TestDrive',
};

/** `use this channel for [appsource|azure marketplace|…] leads` (managers, in a team channel). */
export async function useChannelForLeads(
  context: TurnContext,
  [which = '']: string[],
  deps: BotDeps,
): Promise<void> {
  const { t } = viewFor(context, deps);
  const word = which.toLowerCase();
  if (!(word in storefrontWords)) {
    await context.sendActivity(t('command.unknownStorefront', { text: which.slice(0, 40) }));
    return;
  }
  const teamId = teamsGetTeamInfo(context.activity)?.id;
  const channelId = currentChannelId(context);
  if (!teamId || !channelId) {
    await context.sendActivity(t('command.needsTeamChannel'));
    return;
  }
  await recordInstallation(context, deps);
  const storefront = storefrontWords[word];
  const result = await deps.door.setLeadChannel(
    await viewerOf(context, deps),
    { teamId, channelId },
    storefront,
  );
  if ('refused' in result) {
    await context.sendActivity(t('refusal.managersOnly'));
    return;
  }
  deps.log.info('lead channel set', { team: teamId, channel: channelId, storefront: storefront ?? 'all' });
  await context.sendActivity(
    storefront
      ? t('command.channelSetFor', { storefront: t(storefrontLabelKey(storefront)) })
      : t('command.channelSet'),
  );
  await deps.delivery.queueUndelivered(result.routing);
}
