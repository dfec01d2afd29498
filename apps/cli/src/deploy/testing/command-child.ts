import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What deploy-child.ts runs: `shipgate deploy` (default) or `rollback`, with these inputs. */
export interface ChildCommand {
  command?: 'deploy' | 'rollback';
  positionals: string[];
  values: Record<string, string>;
  config: string;
  state: string;
  env: NodeJS.ProcessEnv;
}

/** A command run in a child process, for the tests that SIGKILL it mid-way. */
export interface CommandChild {
  child: ChildProcess;
  /** Everything it printed to stdout so far (progress lines). */
  output(): string;
  /** The signal that ended it (SIGKILL when killed). */
  exited: Promise<NodeJS.Signals | null>;
}

/** Starts deploy-child.ts with `input`. */
export function startCommandChild(input: ChildCommand): CommandChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./deploy-child.ts', import.meta.url)), JSON.stringify(input)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  return { child, output: () => out, exited };
}
