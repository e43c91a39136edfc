import type { TurnContext } from 'botbuilder';
import { viewerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { viewFor } from '../turn-helpers.js';

/**
 * `forget someone@example.com` (managers only): erases that person's data from every lead and
 * updates the cards. The log and the audit entry name the leads, never the address.
 */
export async function forgetPerson(
  context: TurnContext,
  [email = '']: string[],
  deps: BotDeps,
): Promise<void> {
  const { t } = viewFor(context, deps);
  const address = email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
    await context.sendActivity(t('command.forgetNeedsEmail'));
    return;
  }
  const viewer = await viewerOf(context, deps); // who erased it goes in each lead's history
  const result = await deps.door.forget(viewer, address);
  if ('refused' in result) {
    await context.sendActivity(t('refusal.managersOnly'));
    return;
  }
  if (result.erased === 0) {
    await context.sendActivity(t('command.forgetNone'));
    return;
  }
  deps.log.info('personal data erased on request', { leads: result.erased, by: viewer.aadObjectId });
  await context.sendActivity(t.plural('command.forgotten', result.erased));
}
