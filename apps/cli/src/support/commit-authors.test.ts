import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeAuthors, parseCommitRange } from './commit-authors';

// The one rule for a release's authors, on a real git repository: what the deliver workflow passes
// (`release create --git-sha S --commits B..S`) and what a laptop passes (`--git-sha S`).
let repo: string;
let before: string;
let feature: string;
const git = (who: string, ...args: string[]) =>
  execFileSync('git', ['-c', `user.name=${who}`, '-c', `user.email=${who}`, ...args], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();
const commit = (who: string, message: string, file = 'f') => {
  writeFileSync(join(repo, file), `${who} ${message}`);
  git(who, 'add', file);
  git(who, 'commit', '-q', '-m', message);
  return git(who, 'rev-parse', 'HEAD');
};

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'shipgate-commit-authors-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  before = commit('dana@example.com', 'base');
  feature = commit('erin@example.com', 'feature\n\nCo-authored-by: Frank <Frank@Example.com>');
  // Attacker-chosen metadata: neither a name that looks like an option nor terminal escapes get through.
  commit('not an email --dry-run', 'sneaky\n\nCo-authored-by: \x1b[31mroot\x1b[0m <evil\x1b[2J@example.com>');
  commit('gina@example.com', 'fix');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('changeAuthors (the release’s authors)', () => {
  it('names every author and co-author of the pushed commits, newest first, lower-cased, e-mails only', async () => {
    const head = git('x', 'rev-parse', 'HEAD');
    expect(await changeAuthors(repo, head, before)).toEqual({
      authors: ['gina@example.com', 'erin@example.com', 'frank@example.com'],
      range: `${before}..${head}`,
    });
  });

  it('without a push range, one commit: its author and Co-authored-by trailers', async () => {
    expect(await changeAuthors(repo, feature.slice(0, 7))).toEqual({
      authors: ['erin@example.com', 'frank@example.com'],
      range: `${feature}^!`,
    });
  });

  it('for a merge commit, the merged side’s authors, not whoever merged; an all-zero or unknown before falls back the same way', async () => {
    git('gina@example.com', 'checkout', '-q', '-b', 'topic', before);
    commit('hana@example.com', 'topic work', 'g');
    git('gina@example.com', 'checkout', '-q', 'main');
    git('merger@example.com', 'merge', '-q', '--no-ff', '-m', 'merge topic', 'topic');
    const merge = git('x', 'rev-parse', 'HEAD');
    const mergedSide = { authors: ['hana@example.com'], range: `${merge}^1..${merge}^2` };
    expect(await changeAuthors(repo, merge)).toEqual(mergedSide);
    expect(await changeAuthors(repo, merge, '0'.repeat(40))).toEqual(mergedSide);
    expect(await changeAuthors(repo, merge, 'f'.repeat(40))).toEqual(mergedSide);
  });

  it('a commit that is not in the repository: no authors locally, an error for a push range (CI)', async () => {
    expect(await changeAuthors(repo, 'abcdef1')).toBeUndefined();
    await expect(changeAuthors(repo, 'abcdef1', before)).rejects.toMatchObject({
      code: 'COMMIT_NOT_FOUND',
      message: `expected commit abcdef1 (--git-sha) in the git repository at ${repo}, found no such commit`,
    });
  });

  it('--commits must be BEFORE..SHA with 40-hex BEFORE, ending at --git-sha', () => {
    expect(parseCommitRange(`${before}..${feature}`, feature)).toEqual({ before });
    expect(() => parseCommitRange('$(touch /tmp/pwned)..abcdef1', 'abcdef1')).toThrow(
      'expected --commits BEFORE..SHA (BEFORE the 40-hex commit before the push, SHA the release\'s commit), found "$(touch /tmp/pwned)..abcdef1"',
    );
    expect(() => parseCommitRange(`${before}..${feature}`, 'abcdef1')).toThrow(
      `expected --commits to end at --git-sha abcdef1, found ${feature}`,
    );
  });
});
