import type { ChannelTarget } from '../../leads/store.js';
import { describeError } from '../../log.js';
import type { ViewDeps } from '../bot-deps.js';
import { viewFor } from '../turn-helpers.js';

/**
 * "12 leads recovered from a Partner Center export": the line a channel gets before the recovered
 * cards, posted like the outbox's backlog notice (paced with every other post to that channel).
 * A notice that cannot be posted is logged: the cards still go, through the outbox.
 */
export function recoveredNotice(deps: ViewDeps) {
  return async (target: ChannelTarget, count: number): Promise<void> => {
    try {
      const installation = await deps.store.getInstallation(target.teamId);
      if (!installation) return;
      const text = viewFor(undefined, deps).t.plural('recovered.notice', count);
      await deps.poster.postToChannel(
        { ...installation, channelId: target.channelId },
        { type: 'message', text },
      );
    } catch (error) {
      deps.log.warn('recovered-leads notice not posted', { error: describeError(error) });
    }
  };
}
