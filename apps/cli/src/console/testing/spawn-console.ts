import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));

/** A `shipgate console` process and the address it printed. */
export interface SpawnedConsole {
  url: string;
  origin: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<number | null>;
}

/**
 * Runs `shipgate console --port 0 …` from the sources (so the test sees the code as it is now) and
 * waits for the line with its address; the deadline names what it printed instead.
 */
export async function spawnConsole(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  deadlineMs = 60_000,
): Promise<SpawnedConsole> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { main } = await import('./apps/cli/src/main.ts'); process.exitCode = await main(process.argv.slice(1));`,
      '--',
      'console',
      '--port',
      '0',
      ...args,
    ],
    { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (b) => (err += String(b)));
  child.stdout!.resume();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`console did not print its address within ${deadlineMs} ms; stderr:\n${err}`)),
      deadlineMs,
    );
    child.stderr!.on('data', () => {
      const m = /console \(read-only\) on (\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`console exited ${code} before listening; stderr:\n${err}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    stderr: () => err,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}
