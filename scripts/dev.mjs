// `npm run dev`: the bot in local mode plus the Microsoft 365 Agents Playground, which emulates
// Teams and its Bot Connector on this machine. Ctrl-C stops both.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { prettyFactory } from 'pino-pretty';
import { localeEnv, playgroundLocale, startLocaleProxy } from './locale-proxy.mjs';

/**
 * The Playground's own user (`currentUser` in .m365agentsplayground.yml), by Entra object id. Alone
 * in the Playground you are the only one who can act on a lead you assigned away, so you are made a
 * manager, unless MANAGERS says otherwise.
 */
export function playgroundUser(yaml) {
  const block = /^currentUser:\n((?:[ \t]+.*\n?)*)/m.exec(yaml)?.[1] ?? '';
  const field = (name) =>
    new RegExp(`^[ \\t]+${name}:[ \\t]*"?([^"\\n]*?)"?[ \\t]*$`, 'm').exec(block)?.[1] || undefined;
  const aadObjectId = field('aadObjectId');
  if (!aadObjectId) throw new Error('.m365agentsplayground.yml has no currentUser.aadObjectId.');
  return { aadObjectId, name: field('name') ?? aadObjectId };
}

/**
 * The bot's environment in local mode: no app id, a known webhook key, the Playground user a manager.
 * Everything that names a bot identity is set here, empty, rather than left out: the bot reads `.env`
 * for what its environment lacks, and `.env.example` copied as it is says `MicrosoftAppType=SingleTenant`,
 * which needs an app id and a tenant.
 */
export function devEnv(env, yaml) {
  return {
    ...env,
    PORT: env.PORT || '3978',
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    MicrosoftAppType: '',
    MicrosoftAppTenantId: '',
    ALLOW_UNAUTHENTICATED_BOT: 'true',
    LEADS_WEBHOOK_SECRET: env.LEADS_WEBHOOK_SECRET || 'local-dev-secret-0123456789',
    DATA_DIR: env.DATA_DIR || './data/dev',
    MANAGERS: env.MANAGERS ?? playgroundUser(yaml).aadObjectId,
  };
}

const pretty = prettyFactory({ translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true });

/**
 * The bot logs JSON lines (for Azure); here they read `[10:00:00] WARN: message {"lead":"…"}`.
 * Any other line (a stack trace from tsx, say) is shown as it is.
 */
export function prettyLogLine(line) {
  return pretty(line).trimEnd();
}

const children = [];
function run(env, name, command, args, { extraEnv = {}, format = (line) => line } = {}) {
  const child = spawn(command, args, {
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // By line, not by chunk: a chunk may end in the middle of a line.
  const prefix = (stream, out) =>
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      if (line.trim()) out.write(`[${name}] ${format(line)}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code) => {
    process.stdout.write(`[${name}] exited (${code})\n`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

let stopping = false;
/**
 * Stops both. The exit code is set at once, not only in the timer: once the children are gone
 * nothing keeps this process alive, and it would end with 0 before an unref'd timer fires.
 */
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  }
  setTimeout(() => process.exit(code), 500).unref();
}

/** Starts both and prints where they are. */
async function main() {
  const yaml = readFileSync('.m365agentsplayground.yml', 'utf8');
  const env = devEnv(process.env, yaml);
  const port = env.PORT;
  // `npm run dev -- --locale pt-PT` (or PLAYGROUND_LOCALE): the Playground's activities in that language.
  const locale = playgroundLocale(process.argv.slice(2), process.env);
  const endpoint = locale === 'en' ? port : (await startLocaleProxy(Number(port), locale)).port;
  const playgroundPort = process.env.PLAYGROUND_PORT || '56150';
  const managers =
    process.env.MANAGERS === undefined
      ? `${playgroundUser(yaml).name} (the Playground's user; MANAGERS=... npm run dev to change it)`
      : env.MANAGERS || '(none: MANAGERS is empty)';
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  // The Leads tab's files (dist/tab), fresh each start; a second or so.
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-tab.ts'], { stdio: 'inherit' });

  run(env, 'bot', process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    format: prettyLogLine,
    extraEnv: localeEnv(locale, process.env),
  });
  run(
    env,
    'playground',
    process.execPath,
    [
      'node_modules/@microsoft/m365agentsplayground/cli.js',
      '-c',
      'msteams',
      '--disable-telemetry',
      '-p',
      playgroundPort,
      '-e',
      `http://localhost:${endpoint}/api/messages`,
    ],
    { extraEnv: { TEAMSAPPTESTER_BROWSER: 'none' } }, // print the URL; the Playground reads this, not BROWSER
  );

  process.stdout.write(`
  Lead Assistant (local mode) on http://localhost:${port}
  Agents Playground on        http://localhost:${playgroundPort}
  Leads tab (local tab host)  http://localhost:${port}/tab/local-host.html
  Managers:                   ${managers}
  Language:                   ${locale} (npm run dev -- --locale pt-PT for Portuguese)

  1. Open the Playground; under "Teams Channel" click "Leads". That adds the app to the team and
     makes Leads the lead channel (to change it: @Lead Assistant use this channel for leads).
  2. In another terminal:  LEADS_WEBHOOK_SECRET=${env.LEADS_WEBHOOK_SECRET} npm run send-sample-lead
  3. The lead card appears in the channel; click Claim.
  Ctrl-C stops both.

`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  main().catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
