// Starts `shipgate local-cloud up` as a background process, the way a person would in a second
// terminal, and hands back its endpoint and a stop function.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Starts local-cloud on a free port with the given time scale; resolves once it listens. */
export async function startCloud({ cli, work, timeScale }) {
  const child = spawn(
    process.execPath,
    [cli, 'local-cloud', 'up', '--port', '0', '--time-scale', String(timeScale), '--state-dir', join(work, 'cloud')],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local-cloud did not start within 30 s:\n${log}`)), 30_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`local-cloud exited with ${code}:\n${log}`)));
  });
  child.removeAllListeners('exit');
  return {
    endpoint,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}
