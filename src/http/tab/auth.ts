import type { Config } from '../../config/config.js';
import { createDevIssuer, DEV_APP_ID, type DevIssuer } from '../dev-token.js';
import { createTokenVerifier, remoteKeys, TokenError, type VerifyToken } from '../sso.js';

/**
 * How the tab's tokens are checked, from the config: Entra's keys (production, or local mode with
 * every TAB_* set), the key made at start (local mode without them; only then), or not at all.
 */
export async function createTabAuth(
  config: Pick<Config, 'tab'>,
): Promise<{ verify: VerifyToken; dev?: DevIssuer }> {
  const tab = config.tab;
  switch (tab.mode) {
    case 'entra':
      return {
        verify: createTokenVerifier({
          keys: remoteKeys(tab.jwksUrl),
          audiences: tab.audiences,
          tenantId: tab.tenantId,
        }),
      };
    case 'dev': {
      const dev = await createDevIssuer();
      // Any tenant: only this process holds the key, and the place check still applies.
      return { verify: createTokenVerifier({ keys: dev.keys, audiences: [DEV_APP_ID] }), dev };
    }
    case 'off':
      return {
        verify: async () => {
          throw new TokenError(tab.reason);
        },
      };
  }
}
