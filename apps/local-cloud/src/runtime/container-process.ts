import { spawn, type ChildProcess } from 'node:child_process';
import { LineBuffer } from './line-buffer';

/** How a container process ended. */
export interface ContainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Every live container process, so that an exiting local-cloud never leaves one behind. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** One container of a task: a real child process started without a shell. */
export class ContainerProcess {
  readonly output: LineBuffer;
  readonly exited: Promise<ContainerExit>;
  exit: ContainerExit | undefined;
  private child: ChildProcess;

  constructor(cmd: string[], cwd: string, env: Record<string, string>, outputLines = 200) {
    installExitHook();
    this.output = new LineBuffer(outputLines);
    const program = cmd[0] === 'node' ? process.execPath : cmd[0]!;
    this.child = spawn(program, cmd.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    live.add(this.child);
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.output.write(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.output.write(chunk));
    this.exited = new Promise((resolve) => {
      const done = (exit: ContainerExit) => {
        if (this.exit) return;
        this.exit = exit;
        live.delete(this.child);
        resolve(exit);
      };
      this.child.once('exit', (code, signal) => done({ code, signal }));
      this.child.once('error', (e) => {
        this.output.write(`local-cloud: cannot start ${program}: ${e.message}\n`);
        done({ code: 127, signal: null });
      });
    });
  }

  /** The operating-system process id (undefined when the program could not start). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** ECS's stop: SIGTERM, then SIGKILL once `stopTimeoutMs` has passed. */
  async stop(stopTimeoutMs: number): Promise<ContainerExit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), stopTimeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

/** An exit code as ECS reports it: a signal-killed process reports 128 + signal number. */
export function exitCodeOf(exit: ContainerExit): number {
  if (exit.code !== null) return exit.code;
  if (exit.signal === 'SIGKILL') return 137;
  if (exit.signal === 'SIGTERM') return 143;
  if (exit.signal === 'SIGINT') return 130;
  return 128;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}
