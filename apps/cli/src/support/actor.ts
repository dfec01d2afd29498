import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { requireIdentifier, ShipgateError } from '@shipgate/model/core';

/**
 * Who is acting, as a label in the audit log: GITHUB_ACTOR inside GitHub Actions, else `--as`, then the
 * git user, then the OS user. A label grants nothing: approvals and overrides count by their SSH
 * signature, evidence by its CI signature. Inside Actions `--as` cannot replace the identity GitHub gives.
 */
export async function detectActor(override: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  const [actor, source] = await findActor(override, env);
  // The actor is recorded in the audit log and shown by every command: one identifier rule (#11.15).
  return requireIdentifier(actor, `an actor (from ${source})`, 'Pass --as NAME with a plain name.');
}

async function findActor(override: string | undefined, env: NodeJS.ProcessEnv): Promise<[string, string]> {
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_ACTOR) {
    if (override && override.toLowerCase() !== env.GITHUB_ACTOR.toLowerCase()) {
      throw new ShipgateError(
        'USAGE',
        `expected no --as inside GitHub Actions (the actor is GITHUB_ACTOR, ${env.GITHUB_ACTOR}), found --as ${override}`,
        { hint: '--as only labels local actions; drop it from the workflow.' },
      );
    }
    return [env.GITHUB_ACTOR, 'GITHUB_ACTOR'];
  }
  if (override) return [override, '--as'];
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
