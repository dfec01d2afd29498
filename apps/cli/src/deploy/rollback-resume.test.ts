import { ListDeploymentsCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { makeRelease, type DeploymentRecord, type Release } from '@shipgate/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy } from '../commands/deploy';
import { command as rollback } from '../commands/rollback';
import { startCommandChild } from './testing/command-child';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { releaseAt, waitFor } from './testing/probe';
import { runCommand, type CommandRun } from './testing/run-command';

let h: DeployHarness;
let production: string;
/** v1's image again, from another commit: a release of its own. */
let v1again: Release;
const opts = () => ({ config: h.configFile, state: h.stateDir, env: h.env, json: true });
const service = 'sample-service';
const rollbackProduction = (values: Record<string, string> = {}) =>
  runCommand(rollback, ['production'], { service, ...values }, opts());
const groupDeployments = async () =>
  (
    await h.clients.codedeploy.send(
      new ListDeploymentsCommand({ applicationName: 'sg-production', deploymentGroupName: service }),
    )
  ).deployments ?? [];
/** Until the group has no active deployment (a rollback's termination wait has ended). */
const settled = () =>
  waitFor(
    'no active deployment in the group',
    async () =>
      (
        (
          await h.clients.codedeploy.send(
            new ListDeploymentsCommand({
              applicationName: 'sg-production',
              deploymentGroupName: service,
              includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready'],
            }),
          )
        ).deployments ?? []
      ).length === 0,
    30_000,
  );
const records = () => h.ledger.deployments.list({ service, environment: 'production' });
const rollbacks = async () => (await records()).filter((r) => r.kind === 'rollback');
const json = (run: CommandRun) => run.outcome?.json as Record<string, unknown> & { report?: Record<string, unknown> };

/** Runs `rollback production` in a child process and SIGKILLs it once its redeploy is started and recorded. */
async function killRollbackOnceRecorded(reason: string): Promise<DeploymentRecord> {
  const run = startCommandChild({
    command: 'rollback',
    positionals: ['production'],
    values: { service, reason },
    config: h.configFile,
    state: h.stateDir,
    env: h.env,
  });
  let killed: DeploymentRecord | undefined;
  await waitFor(
    'the child to start its redeploy and record it',
    async () => {
      killed = (await rollbacks()).find((r) => r.outcome === 'in-progress' && r.controllerDeploymentId);
      return killed !== undefined;
    },
    30_000,
  );
  run.child.kill('SIGKILL');
  expect(await run.exited).toBe('SIGKILL');
  return killed!;
}

beforeAll(async () => {
  // A ready wait of an hour (a minute at time scale 60): a rollback nobody continues stays stuck in it.
  h = await startDeployHarness({ basePort: 21800, deploy: { readinessWait: '60m' } });
  v1again = (
    await h.ledger.releases.create(
      makeRelease({ service, image: h.releases.v1.image, gitSha: 'fffffff', createdBy: 'ci', createdAt: new Date() }),
      'ci',
    )
  ).release;
  expect((await runCommand(bootstrap, ['production'], { service, release: h.releases.v1.id }, opts())).exitCode).toBe(
    0,
  );
  production = `${h.cloud.listeners().find((l) => l.port === 21804)!.url}/release`;
  await waitFor('v1 to serve production', async () => (await releaseAt(production)) === h.releases.v1.id);
  for (const release of [h.releases.v2, v1again]) {
    const run = await runCommand(deploy, ['production'], { service, release: release.id }, opts());
    expect(run.exitCode, JSON.stringify(run.error ?? run.progress.slice(-5))).toBe(0);
  }
  expect(await releaseAt(production)).toBe(v1again.id);
}, 120_000);
afterAll(() => h?.close());

describe('rollback that dies, and rollback again', () => {
  it('a rollback killed with SIGKILL mid-redeploy is resumed by the next run, which finishes its record (#11.3)', async () => {
    const deploymentsBefore = new Set(await groupDeployments());
    const killed = await killRollbackOnceRecorded('5xx after v1 again');
    // Killed before the replacement was verified: production still answers as the bad release.
    expect(await releaseAt(production)).toBe(v1again.id);

    const rerunStartedAt = Date.now();
    const rerun = await rollbackProduction({ reason: '5xx after v1 again (second try)' });
    expect(rerun.exitCode, JSON.stringify(rerun.outcome?.json ?? rerun.error)).toBe(0);
    const report = json(rerun).report!;
    expect(report).toMatchObject({
      outcome: 'restored',
      path: 'resume',
      restoredReleaseId: h.releases.v2.id,
      controllerDeploymentId: killed.controllerDeploymentId,
      rollbackDeploymentId: killed.id,
      resumed: { controllerDeploymentId: killed.controllerDeploymentId, recordId: killed.id },
      startedAt: killed.startedAt,
    });
    expect(await releaseAt(production)).toBe(h.releases.v2.id);

    // One redeploy in CodeDeploy, one rollback record, finished: the killed run's record was healed.
    expect((await groupDeployments()).filter((id) => !deploymentsBefore.has(id))).toEqual([
      killed.controllerDeploymentId,
    ]);
    const [record, ...others] = await rollbacks();
    expect(others).toEqual([]);
    expect(record).toMatchObject({ id: killed.id, outcome: 'succeeded', releaseId: h.releases.v2.id });
    // Its duration and time to restore count from the killed run's start, when on-call acted.
    expect(record!.durationMs).toBe(Date.parse(record!.finishedAt!) - Date.parse(killed.startedAt));
    expect(record!.timeToRestoreMs).toBe(report.timeToRestoreMs);
    expect(record!.timeToRestoreMs!).toBeGreaterThan(Date.parse(String(report.restoredAt)) - rerunStartedAt);
    expect(Date.parse(killed.startedAt) + record!.timeToRestoreMs!).toBe(Date.parse(String(report.restoredAt)));
    const undone = (await records()).find((r) => r.releaseId === v1again.id)!;
    expect(undone.outcome).toBe('rolled-back');
  }, 120_000);

  it('a second rollback does not go further back by itself: it names --to and the earlier known good releases (#11.4)', async () => {
    await settled();
    const before = await groupDeployments();
    const again = await rollbackProduction({ reason: 'still bad?' });
    expect(again.exitCode).toBe(1);
    expect(json(again), JSON.stringify(json(again))).toMatchObject({
      outcome: 'nothing-to-roll-back',
      code: 'NOTHING_TO_ROLL_BACK',
      situation: 'already-restored',
      alreadyRestored: true,
      servingReleaseId: h.releases.v2.id,
      candidates: [h.releases.v1.id],
    });
    expect(String(json(again).message)).toContain(
      `To go further back, name the release with --to: earlier known good releases here are ${h.releases.v1.id}`,
    );
    expect(json(again).options).toContain(
      `shipgate rollback production --service ${service} --to ${h.releases.v1.id} --reason "<why>"`,
    );
    expect(await groupDeployments()).toEqual(before);
    expect(await releaseAt(production)).toBe(h.releases.v2.id);
  }, 60_000);

  it('two rollbacks at once: one deployment; a loser is told what rollback can do, never --if-busy (#11.3)', async () => {
    await settled();
    const before = new Set(await groupDeployments());
    const to = { to: h.releases.v1.id, reason: 'back to v1' };
    const runs = await Promise.all([rollbackProduction(to), rollbackProduction(to)]);
    const started = (await groupDeployments()).filter((id) => !before.has(id));
    expect(started).toHaveLength(1);
    expect(runs.filter((r) => r.exitCode === 0).length).toBeGreaterThanOrEqual(1);
    for (const run of runs) {
      const text = JSON.stringify(run.outcome?.json ?? run.error);
      expect(text).not.toContain('--if-busy');
      if (run.exitCode !== 0) {
        const failure = (json(run).report as { failure?: { code: string; hint?: string } } | undefined)?.failure;
        expect(failure?.code).toBe('DEPLOY_IN_FLIGHT');
        expect(failure?.hint).toContain(`shipgate rollback production --service ${service}`);
        console.log(`loser: ${failure?.hint}`);
      }
    }
    expect(await releaseAt(production)).toBe(h.releases.v1.id);
  }, 90_000);

  it('a killed rollback whose deployment was then stopped is closed as abandoned, and the next run rolls back anew (#11.3)', async () => {
    await settled();
    const run = await runCommand(deploy, ['production'], { service, release: v1again.id }, opts());
    expect(run.exitCode, JSON.stringify(run.error ?? run.progress.slice(-5))).toBe(0);
    const killed = await killRollbackOnceRecorded('v1 again is bad');
    // Someone stops it in the console before anyone re-runs: no run can resume it now.
    await h.clients.codedeploy.send(
      new StopDeploymentCommand({ deploymentId: killed.controllerDeploymentId!, autoRollbackEnabled: true }),
    );
    await settled();

    const rerun = await rollbackProduction({ reason: 'v1 again is bad (again)' });
    expect(rerun.exitCode, JSON.stringify(rerun.outcome?.json ?? rerun.error)).toBe(0);
    const ids = { v1: h.releases.v1.id, v2: h.releases.v2.id, v1again: v1again.id };
    const story = JSON.stringify({
      ids,
      killed: killed.releaseId,
      progress: rerun.progress.slice(0, 4),
      records: (await records()).map((r) => [r.kind, r.releaseId, r.outcome, r.rolledBackDeploymentId ?? '']),
    });
    expect(json(rerun).report, story).toMatchObject({
      outcome: 'restored',
      path: 'redeploy',
      restoredReleaseId: h.releases.v1.id,
    });
    const closed = (await rollbacks()).find((r) => r.id === killed.id)!;
    expect(closed.outcome).toBe('failed');
    expect(closed.failure).toContain(
      `abandoned: the run that started it ended before recording its outcome; CodeDeploy deployment ${killed.controllerDeploymentId} ended Stopped`,
    );
    expect(rerun.progress.some((l) => l.includes(`ledger record ${killed.id} closed as failed`))).toBe(true);
    const audit = await h.ledger.audit.list({ action: 'rollback.abandoned' });
    expect(audit.map((e) => e.subject.deploymentId)).toEqual([killed.id]);
    expect((await rollbacks()).filter((r) => r.outcome === 'in-progress')).toEqual([]);
    expect(await releaseAt(production)).toBe(h.releases.v1.id);
  }, 120_000);
});
