import { GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy } from '../commands/deploy';
import { startCommandChild } from './testing/command-child';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { releaseAt, waitFor } from './testing/probe';
import { runCommand } from './testing/run-command';

let h: DeployHarness;
let production: string;
const opts = () => ({ config: h.configFile, state: h.stateDir, env: h.env, json: true });
const deployTo = (release: string) => runCommand(deploy, ['test'], { service: 'sample-service', release }, opts());
const deploymentsOfGroup = async () =>
  (
    await h.clients.codedeploy.send(
      new ListDeploymentsCommand({ applicationName: 'sg-test', deploymentGroupName: 'sample-service' }),
    )
  ).deployments ?? [];

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 21400 });
  expect(
    (await runCommand(bootstrap, ['test'], { service: 'sample-service', release: h.releases.v1.id }, opts())).exitCode,
  ).toBe(0);
  production = `${h.cloud.listeners().find((l) => l.port === 21400)!.url}/release`;
  await waitFor('v1 to serve production', async () => (await releaseAt(production)) === h.releases.v1.id);
});
afterAll(() => h?.close());

describe('one deployment per environment and service', () => {
  it('a deploy killed with SIGKILL and run again completes as one deployment', async () => {
    const run = startCommandChild({
      positionals: ['test'],
      values: { service: 'sample-service', release: h.releases.v2.id },
      config: h.configFile,
      state: h.stateDir,
      env: h.env,
    });
    await waitFor(
      'the child to start a CodeDeploy deployment',
      () => /started CodeDeploy deployment (d-\w+)/.test(run.output()),
      30_000,
    );
    run.child.kill('SIGKILL');
    expect(await run.exited).toBe('SIGKILL');
    const startedId = /started CodeDeploy deployment (d-\w+)/.exec(run.output())![1]!;

    const rerun = await deployTo(h.releases.v2.id);
    expect(rerun.exitCode, JSON.stringify(rerun.error ?? rerun.progress)).toBe(0);
    const json = rerun.outcome!.json as { outcome: string; report: { attached: boolean; deploymentId: string } };
    expect(json.outcome).toBe('succeeded');
    expect(json.report).toMatchObject({ attached: true, deploymentId: startedId });
    expect(await deploymentsOfGroup()).toEqual([startedId]);
    const records = await h.ledger.deployments.list({ releaseId: h.releases.v2.id });
    expect(records.map((r) => [r.controllerDeploymentId, r.outcome])).toEqual([[startedId, 'succeeded']]);
    // The recorded duration is the deployment's, from the killed run's start; the re-run's own
    // report says how long it followed (#11.3).
    const [record] = records;
    expect(record!.durationMs).toBe(Date.parse(record!.finishedAt!) - Date.parse(record!.startedAt));
    const followedMs = (json.report as unknown as { durationMs: number }).durationMs;
    expect(record!.durationMs).toBeGreaterThan(followedMs);
    expect(await releaseAt(production)).toBe(h.releases.v2.id);
  }, 45_000);

  it('two deploys at once: one proceeds, the other is refused naming the deployment in flight', async () => {
    const [a, b] = await Promise.all([deployTo(h.releases.v1.id), deployTo(h.releases.v3.id)]);
    const refused = [a, b].filter((r) => r.error?.code === 'DEPLOY_IN_FLIGHT');
    const proceeded = [a, b].filter((r) => r.outcome);
    expect(refused).toHaveLength(1);
    expect(proceeded).toHaveLength(1);
    const winnerId = (proceeded[0]!.outcome!.json as { report: { deploymentId: string } }).report.deploymentId;
    expect(refused[0]!.exitCode).toBe(1);
    expect(refused[0]!.error!.message).toContain(winnerId);
    console.log(`refused: ${refused[0]!.error!.message}`);
    // CodeDeploy's own rollback deployments (should the broken v3 win) carry no shipgate description.
    const descriptions = await Promise.all(
      (await deploymentsOfGroup()).map(
        async (id) =>
          (await h.clients.codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo
            ?.description ?? '',
      ),
    );
    const refusedRelease = refused[0] === a ? h.releases.v1.id : h.releases.v3.id;
    const winnerRelease = refused[0] === a ? h.releases.v3.id : h.releases.v1.id;
    expect(descriptions.filter((d) => d.includes(refusedRelease))).toEqual([]);
    expect(descriptions.filter((d) => d.includes(winnerRelease))).toHaveLength(1);
  }, 45_000);
});
