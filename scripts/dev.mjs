// `npm run dev`: the bot in local mode plus the Microsoft 365 Agents Playground, which emulates
// Teams and its Bot Connector on this machine. Ctrl-C stops both.
import { spawn } from 'node:child_process';

const port = process.env.PORT || '3978';
const playgroundPort = process.env.PLAYGROUND_PORT || '56150';
const secret = process.env.LEADS_WEBHOOK_SECRET || 'local-dev-secret-0123456789';
const env = {
  ...process.env,
  PORT: port,
  MicrosoftAppId: '',
  MicrosoftAppPassword: '',
  ALLOW_UNAUTHENTICATED_BOT: 'true',
  LEADS_WEBHOOK_SECRET: secret,
  DATA_DIR: process.env.DATA_DIR || './data/dev',
};

const children = [];
function run(name, command, args, extraEnv = {}) {
  const child = spawn(command, args, {
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const prefix = (stream, out) =>
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) out.write(`[${name}] ${line}\n`);
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
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  }
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

run('bot', process.execPath, ['--import', 'tsx', 'src/index.ts']);
run(
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
    `http://localhost:${port}/api/messages`,
  ],
  { TEAMSAPPTESTER_BROWSER: 'none' }, // print the URL; the Playground reads this, not BROWSER
);

process.stdout.write(`
  Lead Assistant (local mode) on http://localhost:${port}
  Agents Playground on        http://localhost:${playgroundPort}

  1. Open the Playground, choose the "Sales" team, add the app to the team.
  2. In another terminal:  LEADS_WEBHOOK_SECRET=${secret} npm run send-sample-lead
  3. The lead card appears in the channel; click Claim.
  Ctrl-C stops both.

`);
