// The new owner's personal notice after an assignment: sent by the outbox after the click was
// answered, from what the assignment saved (leads/changes.ts `owingTeams`), so it survives a crash.
import type { Lead, OwnerNotice } from '../leads/lead.js';
import { describeError } from '../log.js';
import type { OutboxContext } from './outbox.js';
import { isPermanent, retryDelayMs, statusOf } from './retry-policy.js';

/** Tries before the cards say the owner could not be told (a Teams outage: they learn it from the card). */
export const OWNER_NOTICE_TRIES = 5;

/** Tells the new owner; when Teams refuses for good (or too often), every card says so instead. */
export async function tellOwner<N>(ctx: OutboxContext<N>, lead: Lead, notice: OwnerNotice): Promise<void> {
  const { store, log } = ctx.deps;
  try {
    const told = (await ctx.deps.tellOwner?.(lead, notice)) ?? true;
    if (told) {
      await store.updateOwnerNotice(lead.id, notice.forVersion, settled('told'));
      return;
    }
    await notTold(ctx, lead, notice, 'the owner is on no roster the bot can reach');
  } catch (error) {
    const attempts = (notice.attempts ?? 0) + 1;
    if (isPermanent(error) || attempts >= OWNER_NOTICE_TRIES) {
      await notTold(ctx, lead, notice, describeError(error));
      return;
    }
    const delay = retryDelayMs(error, attempts, ctx.retry);
    await store.updateOwnerNotice(lead.id, notice.forVersion, {
      attempts,
      nextAttemptAt: new Date(ctx.now().getTime() + delay).toISOString(),
      lastError: describeError(error).slice(0, 300),
    });
    log.warn('new owner not told yet, will retry', {
      lead: lead.id,
      status: statusOf(error),
      retryInMs: delay,
    });
  }
}

/** The notice failed: recorded, and every posted card owes an update that says so (while it is current). */
async function notTold<N>(
  ctx: OutboxContext<N>,
  lead: Lead,
  notice: OwnerNotice,
  why: string,
): Promise<void> {
  const { store, log } = ctx.deps;
  const saved = await store.updateOwnerNotice(lead.id, notice.forVersion, {
    ...settled('failed'),
    lastError: why.slice(0, 300),
  });
  log.warn('could not message the new owner; the cards say so', { lead: lead.id });
  if (saved.version !== notice.forVersion) return; // changed since: the cards show the newer change
  const at = ctx.now().toISOString();
  for (const d of saved.deliveries)
    if (d.state === 'posted' && d.activityId && d.nextAttemptAt === undefined)
      await store.updateDelivery(lead.id, d.conversationId, { nextAttemptAt: at }, notice.forVersion);
}

function settled(state: OwnerNotice['state']): Partial<OwnerNotice> {
  return { state, attempts: undefined, nextAttemptAt: undefined, lastError: undefined };
}
