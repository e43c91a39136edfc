// Bringing a posted card up to date, and replying in its thread when the buyer comes back: the
// outbox's work on cards already in Teams (outbox.ts posts the new ones).
import type { Delivery, Lead } from '../leads/lead.js';
import { NOTHING_OWED } from '../leads/lead.js';
import { describeError } from '../log.js';
import type { OutboxContext } from './outbox.js';
import { isPermanent, retryDelayMs, statusOf } from './retry-policy.js';

/**
 * Brings one posted card owed an update (a change saved, or Teams refused the last one) up to the
 * lead as it is now. It is settled only if the lead did not change while the card went: a change
 * saved meanwhile stays owed, and goes next.
 */
export async function updateCard<N>(ctx: OutboxContext<N>, lead: Lead, delivery: Delivery): Promise<void> {
  const installation = await ctx.deps.store.getInstallation(delivery.teamId);
  const current = await ctx.deps.store.getLead(lead.id);
  if (!current) return; // taken back: the disk refused it, so there is nothing to show
  try {
    if (!installation || !delivery.activityId)
      throw new Error(`No card to update: the bot is not in team ${delivery.teamId}, or no message id.`);
    await ctx.deps.poster.updateActivity(
      { ...installation, conversationId: delivery.threadId ?? delivery.conversationId },
      { ...(await ctx.deps.render(current)), id: delivery.activityId },
    );
    await ctx.deps.store.updateDelivery(lead.id, delivery.conversationId, NOTHING_OWED, current.version);
    ctx.deps.log.info('card brought up to date', { lead: lead.id, channel: delivery.conversationId });
  } catch (error) {
    if (!installation || !delivery.activityId || isPermanent(error)) {
      // The bot or the message is gone from the channel: there is no card left to update.
      await ctx.deps.store.updateDelivery(lead.id, delivery.conversationId, NOTHING_OWED);
      ctx.deps.log.warn('card not updated: it is gone', { lead: lead.id, status: statusOf(error) });
      return;
    }
    const updateAttempts = (delivery.updateAttempts ?? 0) + 1;
    const delay = retryDelayMs(error, updateAttempts, ctx.retry);
    await ctx.deps.store.updateDelivery(lead.id, delivery.conversationId, {
      nextAttemptAt: new Date(ctx.now().getTime() + delay).toISOString(),
      updateAttempts,
      lastError: describeError(error).slice(0, 300),
    });
    ctx.deps.log.warn('card update failed, will retry', {
      lead: lead.id,
      status: statusOf(error),
      retryInMs: delay,
    });
  }
}

/**
 * Tells each thread the lead was posted to that the buyer came back (a reply), and owes the card
 * an update (it shows the sighting too). A thread told is recorded at once, so a retry after a
 * failure or a restart tells only the others. A lead not posted yet needs no reply: its card
 * will show the sighting.
 */
export async function announceRepeat<N>(ctx: OutboxContext<N>, lead: Lead, index: number): Promise<void> {
  const repeat = lead.repeats?.[index];
  if (!repeat) return;
  const told = new Set(repeat.announcedIn ?? []);
  try {
    for (const delivery of lead.deliveries) {
      if (delivery.state !== 'posted' || !delivery.threadId || told.has(delivery.conversationId)) continue;
      const installation = await ctx.deps.store.getInstallation(delivery.teamId);
      if (!installation) continue; // the bot left that team: nobody there to tell
      if (ctx.deps.renderRepeat)
        await ctx.deps.poster.postToConversation(
          installation,
          delivery.threadId,
          ctx.deps.renderRepeat(lead, repeat),
        );
      told.add(delivery.conversationId);
      await ctx.deps.store.updateRepeat(lead.id, index, { announcedIn: [...told] });
      await ctx.deps.store.updateDelivery(lead.id, delivery.conversationId, {
        nextAttemptAt: ctx.now().toISOString(),
      });
    }
    await ctx.deps.store.updateRepeat(lead.id, index, {
      announce: 'done',
      nextAttemptAt: undefined,
      attempts: undefined,
    });
  } catch (error) {
    if (isPermanent(error)) {
      await ctx.deps.store.updateRepeat(lead.id, index, { announce: 'done', nextAttemptAt: undefined });
      ctx.deps.log.warn('repeat not announced: the thread is gone', {
        lead: lead.id,
        status: statusOf(error),
      });
      return;
    }
    const attempts = (repeat.attempts ?? 0) + 1;
    const delay = retryDelayMs(error, attempts, ctx.retry);
    await ctx.deps.store.updateRepeat(lead.id, index, {
      attempts,
      nextAttemptAt: new Date(ctx.now().getTime() + delay).toISOString(),
    });
    ctx.deps.log.warn('repeat announcement failed, will retry', {
      lead: lead.id,
      status: statusOf(error),
      retryInMs: delay,
    });
  }
}
