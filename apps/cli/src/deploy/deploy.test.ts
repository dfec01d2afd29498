import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy } from '../commands/deploy';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { releaseAt, startProbe, waitFor } from './testing/probe';
import { runCommand } from './testing/run-command';

let h: DeployHarness;
let production: string;
const opts = () => ({ config: h.configFile, state: h.stateDir, env: h.env, json: true });
const deployTo = (release: string, extra: Record<string, string | boolean> = {}) =>
  runCommand(deploy, ['test'], { service: 'sample-service', release, ...extra }, opts());

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 21200 });
  const boot = await runCommand(bootstrap, ['test'], { service: 'sample-service', release: h.releases.v1.id }, opts());
  expect(boot.exitCode).toBe(0);
  production = `${h.cloud.listeners().find((l) => l.port === 21200)!.url}/release`;
  await waitFor('v1 to serve production', async () => (await releaseAt(production)) === h.releases.v1.id);
});
afterAll(() => h?.close());

describe('shipgate deploy (blue/green on local-cloud)', () => {
  it('moves production from v1 to v2 under a continuous probe with zero failed requests', async () => {
    const probe = startProbe(production);
    await waitFor('the probe to warm up', () => probe.count() >= 200);
    const before = probe.count();
    const run = await deployTo(h.releases.v2.id);
    const during = probe.count() - before;
    const seen = await probe.stop();
    // A count, not a rate: how many requests fit in the deploy depends on the machine's load, and the
    // point is that the probe kept asking throughout (both releases answered, none failed).
    expect(during).toBeGreaterThanOrEqual(200);
    expect(run.exitCode, JSON.stringify(run.error ?? run.progress)).toBe(0);
    const json = run.outcome!.json as {
      outcome: string;
      durationMs: number;
      budgetMs: number;
      trafficTimeline: { green: number }[];
      deployment: { controllerDeploymentId: string; outcome: string };
      verification: { succeeded: number };
    };
    expect(json.outcome).toBe('succeeded');
    expect(json.deployment.outcome).toBe('succeeded');
    expect(json.verification.succeeded).toBe(10);
    expect(json.trafficTimeline.at(-1)!.green).toBe(100);
    expect(json.durationMs).toBeLessThan(json.budgetMs);

    expect(seen.requests).toBeGreaterThanOrEqual(400);
    expect(seen.failures).toEqual([]);
    const v1 = seen.releases.filter((r) => r === h.releases.v1.id).length;
    const v2 = seen.releases.filter((r) => r === h.releases.v2.id).length;
    expect(v1 + v2).toBe(seen.requests);
    expect(v1).toBeGreaterThan(0);
    expect(v2).toBeGreaterThan(0);
    // The switch happened once: after the first v2 answer, v1 answers only while connections drain.
    expect(seen.releases.at(-1)).toBe(h.releases.v2.id);
    console.log(
      `v1→v2: ${seen.requests} requests (${during} while the deploy ran), ${seen.failures.length} failed, ${v1} by v1, ${v2} by v2; deploy ${json.durationMs} ms of a ${json.budgetMs} ms budget`,
    );

    const deployments = await h.clients.codedeploy.send(
      new ListDeploymentsCommand({ applicationName: 'sg-test', deploymentGroupName: 'sample-service' }),
    );
    expect(deployments.deployments).toEqual([json.deployment.controllerDeploymentId]);
  }, 60_000);

  it('fails the broken v3 before production traffic reaches it, and says why', async () => {
    const probe = startProbe(production, 2);
    const run = await deployTo(h.releases.v3.id);
    const seen = await probe.stop();
    expect(run.exitCode).toBe(1);
    const json = run.outcome!.json as {
      outcome: string;
      failure: { summary: string; failedLifecycleEvent?: string; lines: string[] };
      deployment: { outcome: string };
    };
    expect(json.outcome).toBe('rolled-back');
    expect(json.deployment.outcome).toBe('rolled-back');
    const text = [json.failure.summary, ...json.failure.lines].join('\n');
    console.log(`v3 failure report:\n${text}`);
    expect(json.failure.failedLifecycleEvent).toBe('Install');
    expect(text).toMatch(/Lifecycle event Install failed/);
    // Health reasons: the replacement's target group readings and ECS's reason for replacing its tasks.
    expect(text).toMatch(/Target group test-sample-service-(blue|green): 0 healthy, \d+ not healthy/);
    expect(text).toContain('Task failed ELB health checks');
    expect(text).toContain('(broken: never-healthy)');
    expect(text).toContain('Production traffic never reached the replacement task set.');
    expect(seen.releases.filter((r) => r === h.releases.v3.id)).toEqual([]);
    expect(seen.failures).toEqual([]);
    expect(await releaseAt(production)).toBe(h.releases.v2.id);
  }, 60_000);

  it('--wait traffic returns once production traffic moved; the original stays up for its termination wait', async () => {
    const run = await deployTo(h.releases.v1.id, { wait: 'traffic' });
    expect(run.exitCode, JSON.stringify(run.error ?? run.progress)).toBe(0);
    const json = run.outcome!.json as {
      outcome: string;
      budgetMs: number;
      deployment: { id: string; outcome: string; controllerDeploymentId: string };
    };
    expect(json.outcome).toBe('traffic-shifted');
    expect(json.deployment.outcome).toBe('in-progress');
    expect(await releaseAt(production)).toBe(h.releases.v1.id);
    // The next deploy finds the deployment ended and finishes the ledger record left in progress.
    await waitFor(
      'the termination wait to end',
      async () =>
        (
          await h.clients.codedeploy.send(
            new ListDeploymentsCommand({
              applicationName: 'sg-test',
              deploymentGroupName: 'sample-service',
              includeOnlyStatuses: ['InProgress'],
            }),
          )
        ).deployments?.length === 0,
    );
    const again = await deployTo(h.releases.v1.id);
    expect((again.outcome!.json as { outcome: string }).outcome).toBe('already-running');
    expect((await h.ledger.deployments.get(json.deployment.id))?.outcome).toBe('succeeded');
  }, 30_000);
});
