// A throwaway copy of the repo's layout for running a script as a user would (`npm run dev`, `npm
// start`), with only what the script needs: its own files copied, the rest linked to this checkout.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..', '..');

export interface ScriptCopy {
  dir: string;
  /** Copies a file or folder of the repo into the copy, at the same place. */
  copy(path: string): void;
  /** Links a file or folder of the repo into the copy, at the same place. */
  link(path: string): void;
  write(path: string, text: string): void;
  remove(): void;
}

export function scriptCopy(prefix: string): ScriptCopy {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const at = (path: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    return join(dir, path);
  };
  return {
    dir,
    copy: (path) => cpSync(join(REPO, path), at(path), { recursive: true }),
    link: (path) => symlinkSync(join(REPO, path), at(path)),
    write: (path, text) => writeFileSync(at(path), text),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Run {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code (a signal counts as null). */
  exit: Promise<number | null>;
}

export function runIn(dir: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiting = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiting) check();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exit,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return;
          waiting.delete(check);
          resolve(match);
        };
        waiting.add(check);
        check();
        void exit.then((code) => {
          if (waiting.delete(check)) reject(new Error(`exited (${code}) before ${pattern}:\n${output}`));
        });
      }),
  };
}
