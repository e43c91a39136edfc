// `npm run cluster`: Azurite (in memory), two instances of the bot on one Azure Table store, and a
// round-robin front on one port, so you (and the Agents Playground) can watch two instances behave
// as one. Local mode, like `npm run dev`. Ctrl-C stops everything.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { createInterface } from 'node:readline';
import { startFront } from './cluster-front.js';
// @ts-expect-error: plain JavaScript, shared with `npm run dev`
import { devEnv, prettyLogLine } from './dev.mjs';

/** Azurite's documented development account (public, the same on every machine). */
const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const azurite: ChildProcess[] = [];
/** By name; a restarted instance replaces its dead child. */
const instances = new Map<string, ChildProcess>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts a child, prefixes its lines with `[name]`, resolves when a line matches `ready`. An
 * instance that exits later is only reported (kill one to watch the other take over); Azurite
 * exiting stops everything.
 */
function run(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  /** A restart that fails is reported; the other instance goes on. */
  restart = false,
) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (name === 'azurite') azurite.push(child);
  else instances.set(name, child);
  return new Promise<RegExpExecArray>((resolve, reject) => {
    let started = false;
    const onLine = (line: string) => {
      if (!line.trim()) return;
      process.stdout.write(`[${name}] ${name === 'azurite' ? line : prettyLogLine(line)}\n`);
      const match = ready.exec(line);
      if (match && !started) {
        started = true;
        resolve(match);
      }
    };
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', onLine);
    child.on('exit', (code, signal) => {
      process.stdout.write(`[${name}] exited (${signal ?? code})\n`);
      if (!started) reject(new Error(`${name} exited before it was ready`));
      if ((!started && !restart) || name === 'azurite') stop(1);
      else if (!stopping)
        process.stdout.write(
          `[${name}] the front sends everything to the other instance meanwhile. To start ${name} again ` +
            `on its port: kill -USR2 ${process.pid}\n`,
        );
    });
  });
}

let stopping = false;
/** The instances first (each gives the lease up and finishes what it answers), Azurite last. */
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (children: ChildProcess[]) =>
    Promise.race([
      Promise.all(
        children.map((child) => {
          try {
            process.kill(-(child.pid as number), 'SIGTERM');
          } catch {}
          return exited(child);
        }),
      ),
      new Promise((resolve) => setTimeout(resolve, 12_000)),
    ]);
  await signal([...instances.values()]);
  await signal(azurite);
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const env = devEnv(process.env, readFileSync('.m365agentsplayground.yml', 'utf8'));
  const frontPort = Number(env.PORT);
  const azuritePort = await freePort();
  await run(
    'azurite',
    'node_modules/.bin/azurite-table',
    [
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(azuritePort),
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--loose',
      '--silent', // no access log: the instances' lines are what to watch
    ],
    process.env,
    /successfully started/,
  );
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};` +
    `TableEndpoint=http://127.0.0.1:${azuritePort}/devstoreaccount1;`;
  const instanceEnv = {
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    STORE: 'azure-table',
    AZURE_STORAGE_CONNECTION_STRING: connectionString,
    AZURE_TABLE_PREFIX: env.AZURE_TABLE_PREFIX || 'cluster',
  };
  const listening = /listening on .*?(http:\/\/[\d.]+:\d+)/;
  const startInstance = async (name: string, port = '0') => {
    const match = await run(
      name,
      process.execPath,
      ['--import', 'tsx', 'src/index.ts'],
      { ...instanceEnv, PORT: port },
      listening,
      port !== '0',
    );
    return new URL(match[1] as string);
  };
  const names = ['a', 'b'];
  const urls = await Promise.all(names.map((name) => startInstance(name)));
  // kill -USR2 <this pid>: every instance that died starts again on its port (the front knows it).
  process.on('SIGUSR2', () => {
    names.forEach((name, i) => {
      const child = instances.get(name);
      if (stopping || (child && child.exitCode === null && child.signalCode === null)) return;
      startInstance(name, (urls[i] as URL).port).then(
        () => process.stdout.write(`[${name}] started again, pid ${instances.get(name)?.pid}\n`),
        (error: Error) => process.stdout.write(`[${name}] did not start again: ${error.message}\n`),
      );
    });
  });
  await startFront(frontPort, urls);
  process.stdout.write(`
  Two instances of Lead Assistant (local mode) on one Azure Table store:
    Azurite (in memory)     http://127.0.0.1:${azuritePort}   tables ${instanceEnv.AZURE_TABLE_PREFIX}*
    instance a              ${urls[0]}   pid ${instances.get('a')?.pid}
    instance b              ${urls[1]}   pid ${instances.get('b')?.pid}
    round-robin front       http://localhost:${frontPort}   (answers say which instance: x-cluster-instance)

  Both take webhooks and Teams activities; one at a time posts cards (it holds the lease, see
  "leader" in http://localhost:${frontPort}/healthz, asked a few times).

  1. In another terminal, the Agents Playground on the front:
       npx agentsplayground -c msteams --disable-telemetry -e http://localhost:${frontPort}/api/messages
     Under "Teams Channel" click "Leads" (that installs the app and makes it the lead channel).
  2. LEADS_WEBHOOK_SECRET=${env.LEADS_WEBHOOK_SECRET} npm run send-sample-lead
  3. Claim the card. Kill the leader (kill -9 <its pid>, above) and watch the other take over
     within the lease (30 s, LEASE_TTL_SECONDS); cards sent meanwhile are posted then. The front
     sends every request to the live instance meanwhile. kill -USR2 ${process.pid} starts the dead one again.
  A lead taken by the instance that does not hold the lease is posted at the holder's next sweep,
  within a third of the lease (10 s).  
  Ctrl-C stops everything (and forgets the store: Azurite keeps it in memory).

`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
});
