import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { requireIdentifier } from '@shipgate/model/core';

/**
 * Who is acting, for the audit log: `--as`, then GITHUB_ACTOR inside GitHub Actions, then the git
 * user, then the OS user.
 */
export async function detectActor(override: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  const [actor, source] = await findActor(override, env);
  // The actor is recorded in the audit log and shown by every command: one identifier rule (#11.15).
  return requireIdentifier(actor, `an actor (from ${source})`, 'Pass --as NAME with a plain name.');
}

async function findActor(override: string | undefined, env: NodeJS.ProcessEnv): Promise<[string, string]> {
  if (override) return [override, '--as'];
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_ACTOR) return [env.GITHUB_ACTOR, 'GITHUB_ACTOR'];
  const email = await gitConfig('user.email');
  if (email) return [email, 'git config user.email'];
  const name = await gitConfig('user.name');
  if (name) return [name, 'git config user.name'];
  try {
    return [userInfo().username, 'the OS user'];
  } catch {
    return [env.USER || env.USERNAME || 'unknown', 'USER'];
  }
}

function gitConfig(key: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', '--get', key], { timeout: 2000 }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}
