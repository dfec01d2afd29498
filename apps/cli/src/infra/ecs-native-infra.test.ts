import { readFile, writeFile } from 'node:fs/promises';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '@shipgate/infra/cdk';
import { configSchema } from '@shipgate/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as drift } from '../commands/drift';
import { sampleTemplate, startDeployHarness, type DeployHarness } from '../deploy/testing/deploy-harness';
import { runCommand } from '../deploy/testing/run-command';

let h: DeployHarness;
const run = (cmd: typeof drift | typeof bootstrap, positionals: string[], values: Record<string, string | boolean>) =>
  runCommand(cmd, positionals, values, { config: h.configFile, state: h.stateDir, env: h.env });

beforeAll(async () => {
  h = await startDeployHarness({
    basePort: 22200,
    deploy: { healthCheck: { interval: '5s', timeout: '2s', healthyThreshold: 2, unhealthyThreshold: 2 } },
  });
  const config = JSON.parse(await readFile(h.configFile, 'utf8'));
  const { deploymentConfig: _c, terminationWait: _w, ...rest } = config.environments.production.deploy;
  config.environments.production.deploy = {
    ...rest,
    controller: 'ecs',
    strategy: 'LINEAR',
    linear: { stepPercent: 50, stepBakeTime: '1m' },
    bakeTime: '10m',
  };
  config.infra = { githubRepository: 'acme/app' };
  await writeFile(h.configFile, JSON.stringify(config, null, 2));
  const done = await run(bootstrap, ['production'], { service: 'sample-service', release: h.releases.v1.id });
  expect(done.exitCode, JSON.stringify(done.error ?? done.outcome?.human)).toBe(0);
}, 240_000);
afterAll(() => h?.close());

describe('ECS-native: bootstrap on local-cloud and the CDK stack', () => {
  it('shows no drift after bootstrap', async () => {
    const result = await run(drift, ['production'], { service: 'sample-service' });
    expect(result.exitCode, result.outcome?.human).toBe(0);
  });

  it('agree on the controller, strategy, hooks, alarms and the listener rules ECS shifts', async () => {
    const config = configSchema.parse(JSON.parse(await readFile(h.configFile, 'utf8')));
    const template = await readFile(sampleTemplate, 'utf8');
    const { app, environments } = buildApp(
      config,
      { 'sample-service': template, 'other-service': template },
      { nag: false },
    );
    app.synth();
    const stack = Template.fromStack(environments.find((s) => s.stackName === 'sg-production')!);
    const props = (type: string) => Object.values(stack.findResources(type)).map((r) => r.Properties);

    const service = (
      await h.clients.ecs.send(new DescribeServicesCommand({ cluster: 'sg-production', services: ['sample-service'] }))
    ).services![0]!;
    const [declared] = props('AWS::ECS::Service');
    const dc = declared.DeploymentConfiguration;
    const live = service.deploymentConfiguration!;
    expect({
      controller: declared.DeploymentController.Type,
      strategy: dc.Strategy,
      linear: [dc.LinearConfiguration.StepPercent, dc.LinearConfiguration.StepBakeTimeInMinutes],
      bake: dc.BakeTimeInMinutes,
      alarms: dc.Alarms.AlarmNames,
      hooks: dc.LifecycleHooks.map((k: { TargetType: string; LifecycleStages: string[] }) => [
        k.TargetType,
        k.LifecycleStages.join(),
      ]),
      desiredCount: declared.DesiredCount,
    }).toEqual({
      controller: service.deploymentController?.type,
      strategy: live.strategy,
      linear: [live.linearConfiguration?.stepPercent, live.linearConfiguration?.stepBakeTimeInMinutes],
      bake: live.bakeTimeInMinutes,
      alarms: live.alarms?.alarmNames,
      hooks: (live.lifecycleHooks ?? []).map((k) => [k.targetType, (k.lifecycleStages ?? []).join()]),
      desiredCount: service.desiredCount,
    });

    const lb = (
      await h.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ['sg-production-sample-service'] }))
    ).LoadBalancers![0]!;
    const listeners = (
      await h.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))
    ).Listeners!;
    const liveRules = [];
    for (const l of listeners) {
      const rules = (await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn }))).Rules!;
      for (const r of rules.filter((x) => !x.IsDefault))
        liveRules.push({
          priority: Number(r.Priority),
          paths: r.Conditions?.[0]?.PathPatternConfig?.Values,
          weights: r.Actions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight),
        });
    }
    const declaredRules = props('AWS::ElasticLoadBalancingV2::ListenerRule').map((r) => ({
      priority: r.Priority,
      paths: r.Conditions[0].PathPatternConfig.Values,
      weights: r.Actions[0].ForwardConfig.TargetGroups.map((t: { Weight: number }) => t.Weight),
    }));
    expect(declaredRules).toEqual(liveRules);
    expect(props('AWS::CodeDeploy::DeploymentGroup')).toEqual([]);
  }, 180_000);
});
