import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running ledger worker with its output so far. */
export interface Worker {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout contains `text`; rejects when the process exits first. */
  waitFor(text: string): Promise<void>;
  exited: Promise<number | null>;
}

const workerPath = fileURLToPath(new URL('./ledger-worker.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Starts `ledger-worker.ts` in a real child process (node --import tsx). */
export function spawnWorker(
  mode: string,
  location: string,
  args: Record<string, unknown>,
  env: Record<string, string> = {},
): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath, mode, location, JSON.stringify(args)], {
    cwd: repoRoot,
    env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (out.includes(text)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
        void exited.then((code) => {
          if (!out.includes(text))
            reject(new Error(`worker ${mode} exited (${code}) before printing "${text}"; stderr:\n${err}`));
        });
      }),
  };
}
