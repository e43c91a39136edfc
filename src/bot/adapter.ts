import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from '../config/config.js';
import { describeError } from '../log.js';
import type { ViewDeps } from './bot-deps.js';
import { errorMessage } from './error-message.js';
import { viewFor } from './turn-helpers.js';

/**
 * botbuilder's adapter with the app's credentials, and its authentication (the server checks
 * tokens with it before botbuilder, which would print a stack trace per forgery). A turn that
 * fails is logged; a message gets "try again", never a stack trace.
 */
export function createAdapter(bot: Config['bot'], deps: Pick<ViewDeps, 'config' | 'log' | 'now'>) {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.tenantId,
  });
  const adapter = new CloudAdapter(auth);
  // Never throws: what it throws, botbuilder prints whole with console.error (the failed request,
  // the reply's card and its customer's details among it), past the redacting logger.
  adapter.onTurnError = async (context, error) => {
    try {
      deps.log.error('turn failed', { type: context.activity.type, error: describeError(error) });
      if (context.activity.type === 'message')
        await context.sendActivity(errorMessage(error, viewFor(context, deps).t));
    } catch (replyError) {
      deps.log.warn('the "try again" reply failed too', { error: describeError(replyError) });
    }
  };
  return { adapter, auth };
}
