// A stand-in for Teams on this machine: frames /tab/ and answers teams-js's postMessage protocol
// (initialize, getContext, getAuthToken, theme changes) as the Teams web client does. teams-js
// trusts messages from its own page's origin, which is why this page is served by the same server.
// Tokens come from POST /api/dev/token, which exists in local mode only.
export {};

interface HostState {
  oid: string;
  name: string;
  tid: string;
  where: 'personal' | 'team';
  team: string;
  locale: string;
  theme: string;
  width: string;
  subPageId: string;
}

interface TabMessage {
  id: number;
  uuidAsString?: string;
  func: string;
  args?: unknown[];
}

const USERS = [
  { oid: '00000000-0000-0000-0000-000000000c01', name: 'Megan Bowen' },
  { oid: '00000000-0000-0000-0000-000000000c02', name: 'Alex Wilber' },
  { oid: '00000000-0000-0000-0000-000000000c03', name: 'Joana Ferreira' },
];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const frame = $<HTMLIFrameElement>('tab');
const status = $<HTMLElement>('host-status');

function readState(): HostState {
  const q = new URLSearchParams(location.search);
  const user = USERS[0] as { oid: string; name: string };
  return {
    oid: q.get('oid') ?? user.oid,
    name: q.get('name') ?? user.name,
    tid: q.get('tid') ?? '',
    where: q.get('where') === 'team' || q.get('team') ? 'team' : 'personal',
    team: q.get('team') ?? '',
    locale: q.get('locale') ?? 'en-us',
    theme: q.get('theme') ?? 'default',
    width: q.get('width') ?? '',
    subPageId: q.get('lead') ?? '',
  };
}

let state = readState();

/** The legacy flat context Teams answers getContext with; teams-js maps it to app.Context. */
function context() {
  const team =
    state.where === 'team' && state.team
      ? { teamId: state.team, teamName: 'Sales', channelId: '', groupId: '' }
      : {};
  return {
    locale: state.locale,
    theme: state.theme,
    entityId: 'leads',
    subEntityId: state.subPageId || undefined,
    userObjectId: state.oid,
    userPrincipalName: '',
    loginHint: '',
    tid: state.tid || undefined,
    hostClientType: 'web',
    hostName: 'Teams',
    frameContext: 'content',
    appSessionId: crypto.randomUUID(),
    ...team,
  };
}

const tokens = new Map<string, Promise<string>>();

/**
 * A token for the chosen user, asked for once when the tab asks twice at the same time. Not kept
 * longer: a restarted server has new keys, and a tab asking again after a 401 must get a token
 * the new keys sign (a kept one is refused until it ages out).
 */
function token(): Promise<string> {
  const key = `${state.oid}|${state.name}|${state.tid}`;
  const pending = tokens.get(key);
  if (pending) return pending;
  const fresh = fetchToken().finally(() => tokens.delete(key));
  tokens.set(key, fresh);
  return fresh;
}

async function fetchToken(): Promise<string> {
  const response = await fetch('/api/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ oid: state.oid, name: state.name, ...(state.tid ? { tid: state.tid } : {}) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST /api/dev/token answered ${response.status}: ${text.slice(0, 200)}`);
  try {
    const body = JSON.parse(text) as { token?: string; access_token?: string };
    return body.token ?? body.access_token ?? text;
  } catch {
    return text;
  }
}

window.addEventListener('message', async (event: MessageEvent) => {
  if (event.source !== frame.contentWindow || event.origin !== location.origin) return;
  const message = event.data as TabMessage;
  if (typeof message?.func !== 'string' || typeof message.id !== 'number') return;
  const reply = (...args: unknown[]) =>
    frame.contentWindow?.postMessage(
      { id: message.id, uuidAsString: message.uuidAsString, args },
      location.origin,
    );
  switch (message.func) {
    case 'initialize':
      reply(
        'content',
        'web',
        JSON.stringify({
          apiVersion: 4,
          supports: {
            app: {},
            authentication: {},
            pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} },
            teamsCore: {},
          },
        }),
        '2.0.0',
      );
      break;
    case 'getContext':
      reply(context());
      break;
    case 'authentication.getAuthToken':
      try {
        reply(true, await token());
      } catch (error) {
        status.textContent = (error as Error).message;
        reply(false, 'resourceRequiresConsent');
      }
      break;
    case 'appInitialization.success':
      document.body.dataset.tab = 'ready';
      status.textContent = `Tab ready for ${state.name} (${state.locale}, ${state.theme}).`;
      void offerTeams();
      break;
    default:
      break; // registerHandler and the rest need no answer
  }
});

/** The user's teams (from the roster the bot stored) as choices for the Team id field. */
async function offerTeams(): Promise<void> {
  try {
    const response = await fetch('/api/tab/me', { headers: { authorization: `Bearer ${await token()}` } });
    const me = (await response.json()) as { teams?: Array<{ teamId: string; teamName: string }> };
    const teams = me.teams ?? [];
    $<HTMLElement>('teams').replaceChildren(...teams.map((t) => new Option(t.teamName, t.teamId)));
    prefillTeam(teams[0]?.teamId);
  } catch {
    // Only a convenience: the id can still be typed.
  }
}

let firstTeam: string | undefined;

/**
 * A team tab needs a team: an empty Team id would silently show "My leads". The user's first team
 * is filled in as soon as it is known, and whenever Team tab is picked with the field empty.
 */
function prefillTeam(teamId?: string): void {
  if (teamId) firstTeam = teamId;
  const field = $<HTMLInputElement>('team');
  if (field.value.trim() || !firstTeam) return;
  field.value = firstTeam;
  if (state.where === 'team' && !state.team) {
    state.team = firstTeam;
    load();
  }
}

function sendTheme(theme: string): void {
  frame.contentWindow?.postMessage({ func: 'themeChange', args: [theme] }, location.origin);
}

function fillControls(): void {
  const user = $<HTMLSelectElement>('user');
  user.replaceChildren(
    ...USERS.map((u) => new Option(u.name, u.oid, false, u.oid === state.oid)),
    new Option('Other…', '', false, !USERS.some((u) => u.oid === state.oid)),
  );
  $<HTMLInputElement>('oid').value = state.oid;
  $<HTMLInputElement>('name').value = state.name;
  $<HTMLSelectElement>('where').value = state.where;
  $<HTMLInputElement>('team').value = state.team;
  $<HTMLSelectElement>('locale').value = state.locale;
  $<HTMLSelectElement>('theme').value = state.theme;
  $<HTMLSelectElement>('width').value = state.width;
}

function load(): void {
  frame.style.width = state.width ? `${state.width}px` : '100%';
  delete document.body.dataset.tab;
  frame.src = `/tab/?host=local&t=${Date.now()}`;
}

$<HTMLSelectElement>('user').addEventListener('change', (e) => {
  const chosen = USERS.find((u) => u.oid === (e.target as HTMLSelectElement).value);
  if (!chosen) return;
  $<HTMLInputElement>('oid').value = chosen.oid;
  $<HTMLInputElement>('name').value = chosen.name;
});
$<HTMLSelectElement>('where').addEventListener('change', (e) => {
  if ((e.target as HTMLSelectElement).value === 'team') prefillTeam();
});
// Teams pushes a theme change to the open tab; it does not reload it.
$<HTMLSelectElement>('theme').addEventListener('change', (e) => {
  state.theme = (e.target as HTMLSelectElement).value;
  sendTheme(state.theme);
});
$<HTMLSelectElement>('width').addEventListener('change', (e) => {
  state.width = (e.target as HTMLSelectElement).value;
  frame.style.width = state.width ? `${state.width}px` : '100%';
});
$<HTMLFormElement>('controls').addEventListener('submit', (e) => {
  e.preventDefault();
  const form = new FormData(e.target as HTMLFormElement);
  const text = (key: string) => String(form.get(key) ?? '').trim();
  state = {
    ...state,
    oid: text('oid'),
    name: text('name'),
    where: text('where') === 'team' ? 'team' : 'personal',
    team: text('team') || (text('where') === 'team' ? (firstTeam ?? '') : ''),
    locale: text('locale'),
  };
  $<HTMLInputElement>('team').value = state.team;
  load();
});

fillControls();
load();
