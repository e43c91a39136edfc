// The only file that talks to teams-js. Context is used for looks (theme, locale, which team) and
// never for identity: the server knows who this is from the SSO token alone.
import { app, authentication } from '@microsoft/teams-js';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export interface HostInfo {
  theme: TeamsTheme;
  locale: string;
  /** The team the tab was opened in (channel tab or team-scoped static tab), if any. */
  team?: { id: string; name: string };
  /** A deep link's sub-page: the lead to open (the card's "Open in Lead Assistant"). */
  subPageId?: string;
}

/** teams-js waits a minute for a silent parent; nobody should stare at a spinner that long. */
const INITIALIZE_TIMEOUT_MS = 8000;

/** Resolves with the host's context, or undefined when this page is not inside Teams. */
export async function connectToTeams(): Promise<HostInfo | undefined> {
  if (window.parent === window && !window.opener) return undefined; // a top-level browser tab
  let timer: number | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = window.setTimeout(() => resolve('timeout'), INITIALIZE_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([app.initialize().then(() => 'ok' as const), timeout]);
    if (outcome !== 'ok') return undefined;
  } catch {
    return undefined;
  } finally {
    window.clearTimeout(timer);
  }
  const context = await app.getContext();
  app.notifySuccess();
  const teamId = context.team?.internalId;
  return {
    theme: asTheme(context.app.theme),
    locale: context.app.locale ?? 'en-us',
    ...(teamId ? { team: { id: teamId, name: context.team?.displayName ?? '' } } : {}),
    ...(context.page.subPageId ? { subPageId: context.page.subPageId } : {}),
  };
}

export function asTheme(theme: string | undefined): TeamsTheme {
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}

export function onThemeChange(handler: (theme: TeamsTheme) => void): void {
  app.registerOnThemeChangeHandler((theme) => handler(asTheme(theme)));
}

/** A fresh SSO token (Teams caches it); throws with Teams' reason when it cannot have one. */
export function getToken(): Promise<string> {
  return authentication.getAuthToken();
}
