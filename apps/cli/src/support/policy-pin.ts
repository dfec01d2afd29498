import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ShipgateError } from '@shipgate/model';
import type { LoadedConfig } from './config';

/** The file whose committed content is the pinned policy: `shipgate.yaml` at the repository's root. */
export const PINNED_CONFIG = 'shipgate.yaml';

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', cwd, ...args], { timeout: 10_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}

/**
 * The policy that governs an AWS target is pinned: the configuration in force must be byte for byte
 * the repository's `shipgate.yaml` as committed at HEAD (in CI: the reviewed commit on main the
 * workflow checked out), never another file given with --config, nor an uncommitted edit. Returns the
 * commit; refuses with POLICY_NOT_PINNED naming both digests.
 */
export async function requirePinnedPolicy(loaded: LoadedConfig, environment: string): Promise<string> {
  const root = (await git(loaded.dir, ['rev-parse', '--show-toplevel']))?.trim();
  const head = root ? (await git(root, ['rev-parse', 'HEAD']))?.trim() : undefined;
  const committed = root && head ? await git(root, ['show', `HEAD:${PINNED_CONFIG}`]) : undefined;
  const pinned = committed === undefined ? undefined : createHash('sha256').update(committed, 'utf8').digest('hex');
  if (pinned === loaded.digest) return head!;
  const where = !root
    ? `no git repository around ${loaded.dir}`
    : committed === undefined
      ? `no ${PINNED_CONFIG} committed at HEAD of ${root}`
      : `${PINNED_CONFIG} at HEAD ${head!.slice(0, 12)} with sha256 ${pinned!.slice(0, 16)}…`;
  throw new ShipgateError(
    'POLICY_NOT_PINNED',
    `expected the policy for ${environment} (an AWS target) to be the pinned one (${where}), found ${loaded.file} with sha256 ${loaded.digest.slice(0, 16)}…`,
    {
      hint: `Deploy to AWS with the repository's committed ${PINNED_CONFIG} (no --config copy, no uncommitted edits); change the policy through a reviewed commit on main.`,
      location: { file: loaded.file },
    },
  );
}
