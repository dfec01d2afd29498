import { GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { makeRelease, type Release } from '@shipgate/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy } from '../commands/deploy';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { releaseAt, waitFor } from './testing/probe';
import { runCommand, type CommandRun } from './testing/run-command';

let h: DeployHarness;
let production: string;
let testListener: string;
/** A second release of v2's image (another commit built to the same digest). */
let v2again: Release;
const opts = () => ({ config: h.configFile, state: h.stateDir, env: h.env, json: true });
const deployTo = (release: string, extra: Record<string, string> = {}) =>
  runCommand(deploy, ['test'], { service: 'sample-service', release, ...extra }, opts());
const group = { applicationName: 'sg-test', deploymentGroupName: 'sample-service' };
const activeDeployments = async () =>
  (
    await h.clients.codedeploy.send(
      new ListDeploymentsCommand({ ...group, includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready'] }),
    )
  ).deployments ?? [];
const info = async (id: string) =>
  (await h.clients.codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;
const outcomeOf = (run: CommandRun) => (run.outcome?.json as { outcome?: string } | undefined)?.outcome;

/**
 * Starts a deploy in the background and returns once its replacement answers on the test listener (its
 * targets are registered: stopping it now drains them for the deregistration delay, as on AWS).
 */
async function deployInFlight(release: string): Promise<{ run: Promise<CommandRun>; deploymentId: string }> {
  const before = new Set(await activeDeployments());
  const run = deployTo(release);
  let deploymentId = '';
  await waitFor(
    'the first deploy to bring its replacement up behind the test listener',
    async () => {
      deploymentId = (await activeDeployments()).find((id) => !before.has(id)) ?? '';
      return deploymentId !== '' && (await releaseAt(testListener)) === release;
    },
    30_000,
  );
  return { run, deploymentId };
}

beforeAll(async () => {
  // A deregistration delay as long as a real one is short (2 s at time scale 60): CodeDeploy's rollback
  // deployment drains the stopped replacement for that long, and the group stays busy meanwhile.
  h = await startDeployHarness({ basePort: 21700, deploy: { deregistrationDelay: '2m' } });
  expect(
    (await runCommand(bootstrap, ['test'], { service: 'sample-service', release: h.releases.v1.id }, opts())).exitCode,
  ).toBe(0);
  v2again = (
    await h.ledger.releases.create(
      makeRelease({
        service: 'sample-service',
        image: h.releases.v2.image,
        gitSha: 'eeeeeee',
        createdBy: 'ci',
        createdAt: new Date(),
      }),
      'ci',
    )
  ).release;
  expect(v2again.digest).toBe(h.releases.v2.digest);
  expect(v2again.id).not.toBe(h.releases.v2.id);
  production = `${h.cloud.listeners().find((l) => l.port === 21700)!.url}/release`;
  testListener = `${h.cloud.listeners().find((l) => l.port === 21701)!.url}/release`;
  await waitFor('v1 to serve production', async () => (await releaseAt(production)) === h.releases.v1.id);
}, 60_000);
afterAll(() => h?.close());

describe('a deploy while another release is in flight', () => {
  it('another release of the same image is refused as --if-busy fail says, and the first deploy succeeds (#11.1)', async () => {
    const first = await deployInFlight(h.releases.v2.id);
    const second = await deployTo(v2again.id);
    expect(second.exitCode, JSON.stringify(second.outcome?.json ?? second.error)).toBe(1);
    expect(second.error?.code).toBe('DEPLOY_IN_FLIGHT');
    expect(second.error?.message).toContain(first.deploymentId);
    expect(second.error?.message).toContain(h.releases.v2.id);
    expect(second.error?.hint).toContain('--if-busy');

    const done = await first.run;
    expect(done.exitCode, JSON.stringify(done.error ?? done.progress.slice(-5))).toBe(0);
    expect(outcomeOf(done)).toBe('succeeded');
    expect((await info(first.deploymentId)).status).toBe('Succeeded');
    expect(await releaseAt(production)).toBe(h.releases.v2.id);
    // The refused run changed nothing and recorded no deployment.
    expect(await h.ledger.deployments.list({ releaseId: v2again.id })).toEqual([]);
  }, 90_000);

  it('--if-busy supersede stops the other release, waits for CodeDeploy’s rollback deployment, then deploys (#11.2)', async () => {
    const first = await deployInFlight(h.releases.v1.id);
    const second = await deployTo(v2again.id, { 'if-busy': 'supersede' });
    expect(second.exitCode, JSON.stringify(second.error ?? second.progress.slice(-8))).toBe(0);
    expect(outcomeOf(second)).toBe('succeeded');
    const report = (second.outcome!.json as { report: { deploymentId: string; previousDeploymentId: string } }).report;
    expect(report.previousDeploymentId).toBe(first.deploymentId);

    // CodeDeploy rolled the stopped deployment back with a deployment of its own, which ended before ours began.
    const stopped = await info(first.deploymentId);
    expect(stopped.status).toBe('Stopped');
    const rollbackId = stopped.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-/);
    const rollback = await info(rollbackId!);
    expect(rollback.creator).toBe('codeDeployRollback');
    expect(rollback.status).toBe('Succeeded');
    const ours = await info(report.deploymentId);
    expect(ours.status).toBe('Succeeded');
    expect(ours.createTime!.getTime()).toBeGreaterThanOrEqual(rollback.completeTime!.getTime());
    expect(second.progress.some((l) => l.includes(rollbackId!))).toBe(true);

    expect(await releaseAt(production)).toBe(v2again.id);
    const superseded = await first.run;
    expect(superseded.exitCode).toBe(1);
    expect(outcomeOf(superseded)).toBe('rolled-back');
  }, 90_000);

  it('two deploys of different releases at once with --if-busy wait: the one that loses the start waits, then deploys (#11.1)', async () => {
    const before = new Set(
      await (async () => (await h.clients.codedeploy.send(new ListDeploymentsCommand(group))).deployments ?? [])(),
    );
    const runs = await Promise.all([
      deployTo(h.releases.v1.id, { 'if-busy': 'wait' }),
      deployTo(h.releases.v2.id, { 'if-busy': 'wait' }),
    ]);
    for (const run of runs) expect(run.exitCode, JSON.stringify(run.error ?? run.progress.slice(-5))).toBe(0);
    const ids = ((await h.clients.codedeploy.send(new ListDeploymentsCommand(group))).deployments ?? []).filter(
      (id) => !before.has(id),
    );
    const started = await Promise.all(ids.map(info));
    expect(started.map((d) => d.status)).toEqual(['Succeeded', 'Succeeded']);
    const [first, second] = [...started].sort((a, b) => a.createTime!.getTime() - b.createTime!.getTime());
    expect(second!.createTime!.getTime()).toBeGreaterThanOrEqual(first!.completeTime!.getTime());
    const last = runs.find(
      (r) => (r.outcome!.json as { report: { deploymentId: string } }).report.deploymentId === second!.deploymentId,
    )!;
    const lastRelease = last === runs[0] ? h.releases.v1.id : h.releases.v2.id;
    expect(await releaseAt(production)).toBe(lastRelease);
  }, 120_000);
});
