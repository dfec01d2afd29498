/** Everything actor resolution looks at; the caller reads env and git, this decides. */
export interface ActorSources {
  /** `--as`. */
  override?: string;
  env?: { GITHUB_ACTIONS?: string; GITHUB_ACTOR?: string };
  /** `git config user.email` / `user.name`, as read by the caller. */
  gitEmail?: string;
  gitName?: string;
  /** The OS user name. */
  osUser?: string;
}

/** Who is acting and where that came from. */
export interface ResolvedActor {
  actor: string;
  source: 'override' | 'github-actions' | 'git' | 'os' | 'unknown';
}

/** Who is acting, for the audit log: `--as`, then GITHUB_ACTOR in GitHub Actions, then the git user, then the OS user. */
export function resolveActor(sources: ActorSources): ResolvedActor {
  const clean = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  const override = clean(sources.override);
  if (override) return { actor: override, source: 'override' };
  const githubActor = clean(sources.env?.GITHUB_ACTOR);
  if (sources.env?.GITHUB_ACTIONS === 'true' && githubActor) return { actor: githubActor, source: 'github-actions' };
  const git = clean(sources.gitEmail) ?? clean(sources.gitName);
  if (git) return { actor: git, source: 'git' };
  const os = clean(sources.osUser);
  if (os) return { actor: os, source: 'os' };
  return { actor: 'unknown', source: 'unknown' };
}
