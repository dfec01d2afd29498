import { execFile } from 'node:child_process';
import { ShipgateError } from '@shipgate/model';

// The one rule for who wrote a change, used by `release create` locally and in the deliver workflow.
// Commit metadata is attacker-chosen text (anyone can write any name, e-mail or trailer into a commit):
// only plain e-mail addresses are kept, lower-cased, so nothing else reaches the release, a terminal or
// a log. Whoever merged (GITHUB_ACTOR) is not an author: merging someone's change does not make it yours.

const email = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$/;
const fullSha = /^[0-9a-f]{40}$/;

/** The authors of a change and the commits they were read from. */
export interface ChangeAuthors {
  /** Author and Co-authored-by e-mails, newest commit first, each once, lower-cased. */
  authors: string[];
  /** The commits read, as git names them (`B..S` for a push, `S^1..S^2` for a merge, `S^!` alone). */
  range: string;
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', cwd, ...args], { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}

/** The full SHA of a commit, or undefined when the repository around `cwd` has no such commit. */
async function resolveCommit(cwd: string, ref: string): Promise<string | undefined> {
  const out = await git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  const sha = out?.trim();
  return sha && fullSha.test(sha) ? sha : undefined;
}

/**
 * Which commits carry the change that `sha` completes: the push's (`before..sha`) when `before` is a
 * commit of the repository (not the all-zero SHA of a new branch); else, for a merge commit, the side it
 * merged (`sha^1..sha^2`); else `sha` alone (`sha^!`).
 */
async function commitRange(cwd: string, sha: string, before: string | undefined): Promise<[string]> {
  if (before && !/^0+$/.test(before) && (await resolveCommit(cwd, before))) return [`${before}..${sha}`];
  if (await resolveCommit(cwd, `${sha}^2`)) return [`${sha}^1..${sha}^2`];
  return [`${sha}^!`];
}

/** Author and Co-authored-by e-mails of the commits in `range`; merge commits (authored by whoever merged) do not count. */
async function authorsIn(cwd: string, range: [string]): Promise<string[] | undefined> {
  const log = await git(cwd, [
    'log',
    '--no-merges',
    '--format=%ae%x00%(trailers:key=Co-authored-by,valueonly,separator=%x00)%x01',
    '--end-of-options',
    range[0],
  ]);
  if (log === undefined) return undefined;
  const found: string[] = [];
  for (const commit of log.split('\x01')) {
    for (const field of commit.split('\x00')) {
      const value = field.trim();
      const address = (/<([^<>]+)>\s*$/.exec(value)?.[1] ?? value).toLowerCase();
      if (email.test(address) && !found.includes(address)) found.push(address);
    }
  }
  return found;
}

/** Parses `--commits BEFORE..SHA`: BEFORE a full SHA (all zeros for a new branch), SHA the release's own commit. */
export function parseCommitRange(text: string, gitSha: string): { before: string } {
  const m = /^([0-9a-f]{40})\.\.([0-9a-f]{7,40})$/.exec(text.trim());
  if (!m) {
    throw new ShipgateError(
      'USAGE',
      `expected --commits BEFORE..SHA (BEFORE the 40-hex commit before the push, SHA the release's commit), found "${text.slice(0, 100).replace(/[^\x20-\x7e]/g, '?')}"`,
      {
        hint: 'In GitHub Actions: --commits "$PUSH_BEFORE..$GITHUB_SHA" with PUSH_BEFORE: ${{ github.event.before }}.',
      },
    );
  }
  const [, before, end] = m;
  if (!gitSha.startsWith(end!) && !end!.startsWith(gitSha)) {
    throw new ShipgateError('USAGE', `expected --commits to end at --git-sha ${gitSha}, found ${end}`, {
      hint: 'The range is the commits the release is built from: it ends at the release’s own commit.',
    });
  }
  return { before: before! };
}

/**
 * The authors of the change a release is built from (the one rule: see the top of this file). Undefined
 * when `gitSha` is not a commit of the repository around `cwd`; with `before` (a push's range) that, or a
 * change with no author e-mail at all, is an error, since CI must never create a release without them.
 */
export async function changeAuthors(cwd: string, gitSha: string, before?: string): Promise<ChangeAuthors | undefined> {
  const sha = await resolveCommit(cwd, gitSha);
  if (!sha) {
    if (before === undefined) return undefined;
    throw new ShipgateError(
      'COMMIT_NOT_FOUND',
      `expected commit ${gitSha} (--git-sha) in the git repository at ${cwd}, found no such commit`,
      { hint: 'Check out the full history (actions/checkout with fetch-depth: 0) before `release create`.' },
    );
  }
  const range = await commitRange(cwd, sha, before);
  const authors = await authorsIn(cwd, range);
  if (!authors?.length) {
    if (before === undefined && authors) return { authors: [], range: range[0]! };
    throw new ShipgateError(
      'COMMIT_NOT_FOUND',
      `expected an author e-mail on the commits ${range[0]} of the repository at ${cwd}, found none`,
      {
        hint: 'Every commit needs an author e-mail (git config user.email); the release’s authors may not approve it.',
      },
    );
  }
  return { authors, range: range[0]! };
}
