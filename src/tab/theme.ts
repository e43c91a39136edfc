// Teams' three themes as Fluent 2 token sets: the same colours Teams itself draws with.
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/tokens';
import { setTheme } from '@fluentui/web-components/theme/set-theme.js';
import type { TeamsTheme } from './teams.js';

const TOKENS = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

export function applyTheme(theme: TeamsTheme): void {
  setTheme(TOKENS[theme]);
  document.documentElement.dataset.theme = theme;
  // Native controls (selects, date pickers, scroll bars) follow too.
  document.documentElement.style.colorScheme = theme === 'default' ? 'light' : 'dark';
}
