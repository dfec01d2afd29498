// The rehearsal's controller stage: which deployment controller each environment uses (staging on CodeDeploy,
// production on ECS-native in the example config), and production's rollback by both paths under the probe:
// the redeploy path (the last deployment has finished: the last known good release is redeployed through the
// deploy engine) and the fast path (inside the termination wait: StopServiceDeployment with ROLLBACK).
import { readFile } from 'node:fs/promises';

/** `{ environment: 'codedeploy' | 'ecs' }` as shipgate.yaml says. */
export async function controllersOf(config) {
  const { parse } = await import('yaml');
  const environments = parse(await readFile(config, 'utf8')).environments ?? {};
  return Object.fromEntries(
    Object.entries(environments).map(([name, env]) => [name, env.deploy?.controller ?? 'codedeploy']),
  );
}

/**
 * One rollback through `shipgate rollback`, as the on-call engineer runs it: authorised by erin's SSH key
 * (trust.environments.production.rollback names her); returns its report.
 */
async function rollback(h, reason) {
  const { json, code } = await h.shipgate(
    ['rollback', 'production', '--service', h.service, '--reason', reason, '--key', h.onCallKey],
    { as: 'erin' },
  );
  const report = json?.report ?? json?.rollback ?? json;
  const entry = {
    environment: 'production',
    release: h.names[report?.restoredReleaseId] ?? report?.restoredReleaseId ?? '?',
    command: `rollback (${report?.path ?? '?'})`,
    outcome: code === 0 ? 'restored' : 'failed',
    exitCode: code,
    seconds: (report?.timeToRestoreMs ?? 0) / 1000,
  };
  h.deployments.push(entry);
  return report && { ...report, authorisedBy: json?.plan?.authorisation?.by };
}

/** Who answers production right now, three times in a row (the release path, by name). */
async function servingNow(h) {
  const seen = [];
  for (let i = 0; i < 3; i++) {
    const answer = await fetch(new URL('/release', h.productionUrl)).catch(() => undefined);
    seen.push(h.names[answer?.headers.get('x-release-id')] ?? 'none');
  }
  return [...new Set(seen)].join(', ');
}

/**
 * Production's rollback by both paths. Before: production runs v2, deployed to completion (its original
 * revision is gone). Redeploy path to v1; then v2 again with `--wait traffic`, rolled back at once by the
 * fast path while the original revision is held. Ends with v1 serving production.
 */
export async function rehearseRollbacks(h) {
  h.stage(`On-call (${h.controllers.production}): roll production back by the redeploy path, then by the fast path`);
  // Who may roll back is a signature, not a name: --as erin without her key changes nothing.
  const unsigned = await h.shipgate(
    ['rollback', 'production', '--service', h.service, '--reason', 'rehearsal: no key', '--dry-run'],
    { as: 'erin', expect: [1], env: { SSH_AUTH_SOCK: '', GITHUB_ACTIONS: '' } },
  );
  h.check(
    unsigned.json?.error?.code === 'ROLLBACK_NOT_AUTHORISED',
    `a rollback with --as erin and no key is refused: ${unsigned.json?.error?.message ?? unsigned.code}`,
  );
  const slow = await rollback(h, 'rehearsal: v2 finished; redeploy the last known good release');
  h.say(`authorised by ${slow?.authorisedBy ?? '?'} (SSH key, verified against the allowed-signers file)`);
  h.check(
    slow?.path === 'redeploy' && slow?.outcome === 'restored',
    `redeploy path: ${slow?.outcome ?? 'no report'} to ${h.names[slow?.restoredReleaseId] ?? '?'} in ${((slow?.timeToRestoreMs ?? NaN) / 1000).toFixed(1)} s (path ${slow?.path})`,
  );
  h.check((await servingNow(h)) === 'v1', `production serves ${await servingNow(h)} after the redeploy path`);

  // The rollback's own deployment holds its original (v2) for its bake: --if-busy wait queues behind it,
  // as an engineer deploying right after a rollback would.
  const again = await h.deploy('production', h.releases.v2, 'v2', { wait: 'traffic', ifBusy: 'wait' });
  h.check(
    again.exitCode === 0,
    `v2 back in production with --wait traffic (${again.outcome}): the original revision is held`,
  );
  const fast = await rollback(h, 'rehearsal: roll v2 back inside its bake');
  h.check(
    fast?.path === 'fast' && fast?.outcome === 'restored',
    `fast path: ${fast?.outcome ?? 'no report'} to ${h.names[fast?.restoredReleaseId] ?? '?'} in ${((fast?.timeToRestoreMs ?? NaN) / 1000).toFixed(2)} s (path ${fast?.path})`,
  );
  h.check((await servingNow(h)) === 'v1', `production serves ${await servingNow(h)} after the fast path`);
  return { fast, redeploy: slow };
}
