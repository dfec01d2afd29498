import {
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy } from '../commands/deploy';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { releaseAt, startProbe, waitFor } from './testing/probe';
import { runCommand } from './testing/run-command';

let h: DeployHarness;
let production: string;
const opts = () => ({ config: h.configFile, state: h.stateDir, env: h.env, json: true });

/** The replacement's share of production traffic in the active deployment (undefined when none). */
async function greenWeight(): Promise<number | undefined> {
  const active = await h.clients.codedeploy.send(
    new ListDeploymentsCommand({
      applicationName: 'sg-production',
      deploymentGroupName: 'sample-service',
      includeOnlyStatuses: ['InProgress'],
    }),
  );
  const id = active.deployments?.[0];
  if (!id) return undefined;
  const targets = await h.clients.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id }));
  const target = await h.clients.codedeploy.send(
    new GetDeploymentTargetCommand({ deploymentId: id, targetId: targets.targetIds![0]! }),
  );
  return target.deploymentTarget?.ecsTarget?.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green')?.trafficWeight;
}

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 21500 });
  const boot = await runCommand(
    bootstrap,
    ['production'],
    { service: 'sample-service', release: h.releases.v1.id },
    opts(),
  );
  expect(boot.exitCode, boot.outcome?.human).toBe(0);
  expect(boot.outcome!.human).toMatch(/alarm\s+sg-production-5xx\s+create/);
  production = `${h.cloud.listeners().find((l) => l.port === 21504)!.url}/release`;
  await waitFor('v1 to serve production', async () => (await releaseAt(production)) === h.releases.v1.id);
});
afterAll(() => h?.close());

describe('an alarm during a linear traffic shift', () => {
  it('rolls the deployment back and production returns to the original release', async () => {
    const probe = startProbe(production, 2);
    const running = runCommand(
      deploy,
      ['production'],
      { service: 'sample-service', release: h.releases.v2.id },
      opts(),
    );
    let shifted = 0;
    await waitFor(
      'traffic to start moving',
      async () => {
        shifted = (await greenWeight()) ?? 0;
        return shifted > 0 && shifted < 100;
      },
      30_000,
    );
    h.cloud.setAlarmState('sg-production-5xx', 'ALARM', 'test: 5xx above threshold');
    const run = await running;
    const seen = await probe.stop();
    expect(run.exitCode, JSON.stringify(run.error ?? run.progress)).toBe(1);
    const json = run.outcome!.json as {
      outcome: string;
      trafficTimeline: { green: number }[];
      failure: { summary: string; alarms: string[]; lines: string[] };
    };
    expect(json.outcome).toBe('rolled-back');
    expect(json.failure.alarms).toEqual(['sg-production-5xx']);
    expect(json.failure.summary).toContain('alarm sg-production-5xx fired');
    const peak = Math.max(...json.trafficTimeline.map((p) => p.green));
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(100);
    expect(json.trafficTimeline.at(-1)!.green).toBe(0);
    console.log(
      `alarm at ${shifted}% green; peak ${peak}%; ${seen.requests} probe requests, ${seen.failures.length} failed\n${json.failure.lines.join('\n')}`,
    );
    expect(seen.failures).toEqual([]);
    h.cloud.setAlarmState('sg-production-5xx', 'OK');
    await waitFor('v1 to serve all production traffic', async () => (await releaseAt(production)) === h.releases.v1.id);
    const answers = await Promise.all(Array.from({ length: 20 }, () => releaseAt(production)));
    expect(new Set(answers)).toEqual(new Set([h.releases.v1.id]));
  }, 50_000);

  it('rides out throttling: throttled CreateDeployment, GetDeployment and DescribeTargetHealth calls are retried, one deployment results', async () => {
    const before =
      (
        await h.clients.codedeploy.send(
          new ListDeploymentsCommand({ applicationName: 'sg-production', deploymentGroupName: 'sample-service' }),
        )
      ).deployments ?? [];
    const rules = [
      h.cloud.faults.addApiFault({ service: 'codedeploy', operation: 'CreateDeployment', kind: 'throttle', count: 2 }),
      h.cloud.faults.addApiFault({
        service: 'codedeploy',
        operation: 'GetDeployment',
        kind: 'throttle',
        rate: 0.5,
        count: 6,
      }),
      h.cloud.faults.addApiFault({
        service: 'elbv2',
        operation: 'DescribeTargetHealth',
        kind: 'throttle',
        rate: 0.5,
        count: 6,
      }),
    ];
    try {
      const run = await runCommand(
        deploy,
        ['production'],
        { service: 'sample-service', release: h.releases.v2.id },
        opts(),
      );
      expect(run.exitCode, JSON.stringify(run.error ?? run.progress.slice(-5))).toBe(0);
      expect((run.outcome!.json as { outcome: string }).outcome).toBe('succeeded');
    } finally {
      for (const id of rules) h.cloud.faults.remove(id);
    }
    const after =
      (
        await h.clients.codedeploy.send(
          new ListDeploymentsCommand({ applicationName: 'sg-production', deploymentGroupName: 'sample-service' }),
        )
      ).deployments ?? [];
    expect(after.length - before.length).toBe(1);
    expect(await releaseAt(production)).toBe(h.releases.v2.id);
  }, 50_000);
});
