import { DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { ListApplicationsCommand } from '@aws-sdk/client-codedeploy';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { runCommand } from './testing/run-command';

let h: DeployHarness;
const run = (positionals: string[], values: Record<string, string | boolean | undefined>) =>
  runCommand(bootstrap, positionals, values, { config: h.configFile, state: h.stateDir, env: h.env });

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 21100 });
});
afterAll(() => h?.close());

describe('shipgate bootstrap', () => {
  it('refuses bad input before any AWS call: nothing is created', async () => {
    const unknownEnv = await run(['nowhere'], { service: 'sample-service' });
    const mismatch = await run(['test'], { service: 'sample-service', release: h.releases.other.id });
    expect([unknownEnv.exitCode, unknownEnv.error?.code]).toEqual([2, 'UNKNOWN_ENVIRONMENT']);
    expect([mismatch.exitCode, mismatch.error?.code]).toEqual([2, 'RELEASE_SERVICE_MISMATCH']);
    const apps = await h.clients.codedeploy.send(new ListApplicationsCommand({}));
    const defs = await h.clients.ecs.send(new ListTaskDefinitionsCommand({}));
    expect(apps.applications ?? []).toEqual([]);
    expect(defs.taskDefinitionArns ?? []).toEqual([]);
  });

  it('shows a plan in a dry run and creates nothing', async () => {
    const dry = await run(['test'], { service: 'sample-service', release: h.releases.v1.id, 'dry-run': true });
    expect(dry.exitCode).toBe(0);
    const steps = (dry.outcome!.json as { services: { steps: { action: string }[] }[] }).services[0]!.steps;
    expect(steps.filter((s) => s.action === 'create')).toHaveLength(9);
    const lbs = await h.clients.elbv2.send(new DescribeLoadBalancersCommand({})).catch(() => ({ LoadBalancers: [] }));
    expect(lbs.LoadBalancers ?? []).toEqual([]);
  });

  it('creates everything once; the second run creates and updates nothing', async () => {
    const first = await run(['test'], { service: 'sample-service', release: h.releases.v1.id });
    expect(first.exitCode, JSON.stringify(first.error ?? first.outcome?.human)).toBe(0);
    const created = (first.outcome!.json as { services: { steps: { resource: string; action: string }[] }[] })
      .services[0]!.steps;
    expect(created.map((s) => `${s.resource}:${s.action}`)).toEqual([
      'cluster:create',
      'target-group:create',
      'target-group:create',
      'load-balancer:create',
      'listener:create',
      'listener:create',
      'ecs-service:create',
      'codedeploy-application:create',
      'deployment-group:create',
    ]);
    const second = await run(['test'], { service: 'sample-service' });
    const again = (second.outcome!.json as { services: { steps: { action: string }[] }[] }).services[0]!.steps;
    expect(again.map((s) => s.action)).toEqual(Array(9).fill('unchanged'));
    const svc = await h.clients.ecs.send(
      new DescribeServicesCommand({ cluster: 'sg-test', services: ['sample-service'] }),
    );
    expect(svc.services?.[0]?.deploymentController?.type).toBe('CODE_DEPLOY');
    const tgs = await h.clients.elbv2.send(new DescribeTargetGroupsCommand({}));
    expect(tgs.TargetGroups?.map((t) => t.TargetGroupName).sort()).toEqual([
      'test-sample-service-blue',
      'test-sample-service-green',
    ]);
  });

  it('converges a drifted setting (deregistration delay) with one update', async () => {
    const text = await (await import('node:fs/promises')).readFile(h.configFile, 'utf8');
    await (
      await import('node:fs/promises')
    ).writeFile(h.configFile, text.replace('"deregistrationDelay": "1s"', '"deregistrationDelay": "2s"'));
    const drift = await run(['test'], { service: 'sample-service' });
    const steps = (
      drift.outcome!.json as { services: { steps: { resource: string; action: string; changes: string[] }[] }[] }
    ).services[0]!.steps;
    expect(steps.filter((s) => s.action === 'update').map((s) => [s.resource, s.changes])).toEqual([
      ['target-group', ['deregistrationDelaySeconds: 1 → 2']],
      ['target-group', ['deregistrationDelaySeconds: 1 → 2']],
    ]);
    const settled = await run(['test'], { service: 'sample-service' });
    expect(
      (settled.outcome!.json as { services: { steps: { action: string }[] }[] }).services[0]!.steps.every(
        (s) => s.action === 'unchanged',
      ),
    ).toBe(true);
  });
});
