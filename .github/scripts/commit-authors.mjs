// The authors of the change a release is built from, read from the commits (never GITHUB_ACTOR, who is
// only whoever merged). For a push, every commit the push brought (PUSH_BEFORE..HEAD); for a merge
// commit, the commits of the side it merged; else HEAD. Each commit's author and its Co-authored-by
// trailers count; merge commits (authored by whoever merged) do not. Writes `author` (the newest commit's author email) and `authors` (a JSON array of
// every email) to GITHUB_OUTPUT. Commit metadata is attacker-chosen text: only plain emails are kept.
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const email = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$/;

function git(...args) {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

function isCommit(ref) {
  try {
    git('cat-file', '-e', `${ref}^{commit}`);
    return true;
  } catch {
    return false;
  }
}

/** The commit range to read: the push's, else a merge commit's merged side, else HEAD alone. */
export function commitRange(before) {
  if (before && /^[0-9a-f]{40}$/.test(before) && !/^0+$/.test(before) && isCommit(before)) return [`${before}..HEAD`];
  if (isCommit('HEAD^2')) return ['HEAD^1..HEAD^2'];
  return ['-1', 'HEAD'];
}

/** Author emails and Co-authored-by emails of the commits in range, newest commit first, each once. */
export function commitAuthors(range) {
  // Merge commits are authored by whoever merged: only the commits that carry the change count.
  const log = git(
    'log',
    '--no-merges',
    '--format=%ae%x00%(trailers:key=Co-authored-by,valueonly,separator=%x00)%x01',
    ...range,
  );
  const found = [];
  for (const commit of log.split('\x01')) {
    for (const field of commit.split('\x00')) {
      const value = field.trim();
      const address = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;
      if (email.test(address) && !found.includes(address.toLowerCase())) found.push(address.toLowerCase());
    }
  }
  return found;
}

function main() {
  const authors = commitAuthors(commitRange(process.env.PUSH_BEFORE));
  if (authors.length === 0) {
    console.error('::error title=commit authors::expected an author email on the commits of this change, found none');
    process.exit(1);
  }
  const out = process.env.GITHUB_OUTPUT;
  const lines = `author=${authors[0]}\nauthors=${JSON.stringify(authors)}\n`;
  if (out) appendFileSync(out, lines);
  else process.stdout.write(lines);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
