// What the Playground screenshot scripts share: starting the bot and the Playground as child
// processes (stopped when this process exits), and a card's picture with a little margin.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startLocaleProxy } from './locale-proxy.mjs';

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM');
});

/** Starts a process and resolves once a line of its output matches `ready`. */
export function start(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<ChildProcess> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (ready.test(seen)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited (${code}):\n${seen}`)));
  });
}

/**
 * The Agents Playground on `port`, in front of the bot endpoint at `botPort` (the bot itself, or the
 * locale proxy that makes it speak pt-PT); resolves once it listens.
 */
export function startPlayground(port: number, botPort: number): Promise<ChildProcess> {
  return start(
    process.execPath,
    [
      'node_modules/@microsoft/m365agentsplayground/cli.js',
      '-c',
      'msteams',
      '--disable-telemetry',
      '-p',
      String(port),
      '-e',
      `http://127.0.0.1:${botPort}/api/messages`,
    ],
    { TEAMSAPPTESTER_BROWSER: 'none' }, // the Playground reads this, not BROWSER
    /Listening on/,
  );
}

/**
 * The bot in local mode on `ports.bot` (a fresh DATA_DIR, Lisbon time, `env` on top) and the
 * Playground in front of it, through the locale proxy when the screenshots are Portuguese.
 */
export async function startBotAndPlayground(
  locale: 'en' | 'pt-PT',
  ports: { bot: number; playground: number },
  env: Record<string, string>,
): Promise<{ bot: ChildProcess; playground: ChildProcess }> {
  const bot = await start(
    process.execPath,
    ['--import', 'tsx', 'src/index.ts'],
    {
      PORT: String(ports.bot),
      ALLOW_UNAUTHENTICATED_BOT: 'true',
      MicrosoftAppId: '',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'lead-screens-')),
      DEFAULT_LOCALE: locale,
      TIME_ZONE: 'Europe/Lisbon',
      ...env,
    },
    /listening on/,
  );
  const endpointPort = locale === 'en' ? ports.bot : (await startLocaleProxy(ports.bot, 'pt-PT')).port;
  return { bot, playground: await startPlayground(ports.playground, endpointPort) };
}

/** The card as it shows in the conversation, with a little margin (element screenshots lose the host's styles). */
export async function shootCard(page: Page, card: Locator, path: string): Promise<void> {
  await card.scrollIntoViewIfNeeded();
  const box = await card.boundingBox();
  if (!box) throw new Error(`card for ${path} is not visible`);
  const margin = 8;
  await page.screenshot({
    path,
    clip: {
      x: box.x - margin,
      y: box.y - margin,
      width: box.width + 2 * margin,
      height: box.height + 2 * margin,
    },
  });
}
