import { describe, expect, it } from 'vitest';
import { resolveActor } from './resolve-actor';

describe('resolveActor', () => {
  const all = {
    override: 'release-bot',
    env: { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat' },
    gitEmail: 'dev@example.com',
    gitName: 'Dev',
    osUser: 'dev',
  };

  it('prefers --as, then GITHUB_ACTOR in Actions, then the git email or name, then the OS user', () => {
    expect(resolveActor(all)).toEqual({ actor: 'release-bot', source: 'override' });
    expect(resolveActor({ ...all, override: '  ' })).toEqual({ actor: 'octocat', source: 'github-actions' });
    expect(resolveActor({ ...all, override: undefined, env: { GITHUB_ACTOR: 'octocat' } })).toEqual({
      actor: 'dev@example.com',
      source: 'git',
    });
    expect(resolveActor({ gitName: ' Dev ', osUser: 'dev' })).toEqual({ actor: 'Dev', source: 'git' });
    expect(resolveActor({ env: { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: '' }, osUser: 'dev' })).toEqual({
      actor: 'dev',
      source: 'os',
    });
    expect(resolveActor({})).toEqual({ actor: 'unknown', source: 'unknown' });
  });
});
