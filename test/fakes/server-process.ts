import { type ChildProcess, spawn } from 'node:child_process';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stderr so far. */
  output(): string;
}

/**
 * The real server (`src/index.ts`) in its own process, in local mode on a free loopback port.
 * Resolves with its URL once it listens; rejects with its output if it exits first.
 */
export function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      ALLOW_UNAUTHENTICATED_BOT: 'true',
      MicrosoftAppId: '',
      LEADS_WEBHOOK_SECRET: SERVER_SECRET,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on .*?(http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    });
    child.on('exit', (code) =>
      reject(Object.assign(new Error(`server exited (${code}):\n${output}`), { code, output })),
    );
  });
}

export const SERVER_SECRET = 'process-test-secret-0123456789';

/** Resolves once the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
