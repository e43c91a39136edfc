// The tab's entry: connect to Teams, or say plainly that this only works inside Teams.
import '@fluentui/web-components/button.js';
import '@fluentui/web-components/toggle-button.js';
import { TabApi } from './api.js';
import { TabApp } from './app.js';
import { h } from './dom.js';
import { strings } from './strings.js';
import { connectToTeams, getToken, onThemeChange } from './teams.js';
import { applyTheme } from './theme.js';

async function main(): Promise<void> {
  const root = document.getElementById('app') as HTMLElement;
  const host = await connectToTeams();
  const s = strings(host?.locale ?? navigator.language);
  document.documentElement.lang = s.locale === 'pt-PT' ? 'pt-PT' : 'en';
  document.title = s('title');
  if (!host) {
    // No Teams, no identity: nothing to offer but the way in.
    applyTheme(matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default');
    root.removeAttribute('aria-busy');
    root.replaceChildren(
      h('main', { class: 'outside' }, h('h1', {}, s('openInTeams')), h('p', {}, s('openInTeamsBody'))),
    );
    return;
  }
  applyTheme(host.theme);
  onThemeChange(applyTheme);
  await new TabApp(s, new TabApi(getToken, host.locale), host, root).start();
}

void main();
