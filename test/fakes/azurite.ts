// Azure Table storage for tests: Azurite's table service as a child process on a free loopback
// port, in memory. One per spec file; tests isolate by table prefix.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const BIN = join(process.cwd(), 'node_modules', '.bin', 'azurite-table');
const START_DEADLINE_MS = 15_000;

export interface Azurite {
  port: number;
  connectionString: string;
  /** What every client of it needs: Azurite speaks plain HTTP. */
  clientOptions: { allowInsecureConnection: true };
  /** A table prefix no other test uses. */
  freshPrefix(): string;
  /** Ends the process as a crash would (SIGKILL) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (it keeps everything in memory). */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  let port = await freePort();
  let child = await launch(port).catch(async () => {
    port = await freePort(); // somebody took the port between looking and binding: once more
    return launch(port);
  });
  const azurite: Azurite = {
    get port() {
      return port;
    },
    get connectionString() {
      return (
        `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};` +
        `TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`
      );
    },
    clientOptions: { allowInsecureConnection: true },
    freshPrefix: () => `t${randomBytes(5).toString('hex')}`,
    async kill() {
      await stop(child);
    },
    async restart() {
      child = await launch(port);
    },
    async dispose() {
      await stop(child);
    },
  };
  return azurite;
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    BIN,
    [
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(port),
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--loose',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`Azurite did not start on port ${port}: ${why}\n${output}`));
    };
    const timer = setTimeout(
      () => fail(`no "successfully started" within ${START_DEADLINE_MS} ms`),
      START_DEADLINE_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('successfully started')) {
        clearTimeout(timer);
        child.stdout?.off('data', read);
        child.stdout?.resume(); // keep draining, so it never blocks on a full pipe
        resolve(child);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code) => fail(`it exited (code ${code})`));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await gone;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
