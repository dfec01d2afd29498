import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';

/**
 * Who is acting, for the audit log: `--as`, then GITHUB_ACTOR inside GitHub Actions, then the git
 * user, then the OS user.
 */
export async function detectActor(override: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  if (override) return override;
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_ACTOR) return env.GITHUB_ACTOR;
  const git = (await gitConfig('user.email')) || (await gitConfig('user.name'));
  if (git) return git;
  try {
    return userInfo().username;
  } catch {
    return env.USER || env.USERNAME || 'unknown';
  }
}

function gitConfig(key: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', '--get', key], { timeout: 2000 }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}
