import { execFile } from 'node:child_process';

/**
 * The authors of a commit as git records them: its author's e-mail and name, and every
 * Co-authored-by trailer. Undefined when the commit is not in the repository around `cwd`. The
 * merger (GITHUB_ACTOR) is not an author: merging someone's change does not make it yours.
 */
export function commitAuthors(cwd: string, sha: string): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', cwd, 'show', '-s', '--format=%ae%n%an%n%(trailers:key=Co-authored-by,valueonly)', sha],
      { timeout: 10_000 },
      (error, stdout) => {
        if (error) return resolve(undefined);
        const people = new Set<string>();
        for (const line of stdout
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)) {
          // "Name <mail>" in trailers: both count as the same person's identities.
          const m = /^(.*?)\s*<([^>]+)>$/.exec(line);
          if (m) {
            if (m[1]) people.add(m[1]);
            people.add(m[2]!);
          } else people.add(line);
        }
        resolve([...people]);
      },
    );
  });
}
