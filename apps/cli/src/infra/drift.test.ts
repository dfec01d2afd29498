import { readFile, writeFile } from 'node:fs/promises';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupCommand,
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

interface DriftJson {
  drifted: boolean;
  items: { resource: string; name: string; setting: string; live: string; declared: string }[];
}

beforeAll(async () => {
  // Health-check timings AWS accepts (interval > timeout), so that the CDK stack of the same config validates.
  h = await startDeployHarness({
    basePort: 22000,
    deploy: { healthCheck: { interval: '5s', timeout: '2s', healthyThreshold: 2, unhealthyThreshold: 2 } },
  });
  // The stacks need the repository their deploy roles trust.
  const config = JSON.parse(await readFile(h.configFile, 'utf8'));
  await writeFile(h.configFile, JSON.stringify({ ...config, infra: { githubRepository: 'acme/app' } }, null, 2));
  for (const env of ['test', 'production']) {
    const done = await run(bootstrap, [env], { service: 'sample-service', release: h.releases.v1.id });
    expect(done.exitCode, JSON.stringify(done.error ?? done.outcome?.human)).toBe(0);
  }
}, 240_000);
afterAll(() => h?.close());

describe('shipgate drift', () => {
  it('finds none right after bootstrap', async () => {
    const result = await run(drift, ['production'], { service: 'sample-service' });
    expect(result.exitCode, result.outcome?.human).toBe(0);
    expect((result.outcome!.json as DriftJson).items).toEqual([]);
  });

  it('lists a health check changed behind its back, with the live and the declared value, and exits 1', async () => {
    const tgs = await h.clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: ['test-sample-service-green'] }));
    await h.clients.elbv2.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: tgs.TargetGroups![0]!.TargetGroupArn,
        HealthCheckPath: '/ready',
        HealthCheckIntervalSeconds: 9,
      }),
    );
    const result = await run(drift, ['test'], { service: 'sample-service' });
    expect(result.exitCode).toBe(1);
    const items = (result.outcome!.json as DriftJson).items;
    expect(items.map((i) => [i.name, i.setting, i.live, i.declared])).toEqual([
      ['test-sample-service-green', 'healthCheckPath', '/ready', '/health'],
      ['test-sample-service-green', 'healthCheckIntervalSeconds', '9', '5'],
    ]);
    expect(result.outcome!.human).toMatch(/healthCheckPath\s+\/ready\s+\/health/);
  });
});

/**
 * One source of truth: what bootstrap made on local-cloud (from shipgate.yaml) is what the CDK stack of the
 * same shipgate.yaml declares. Read back through the SDK, compared with the synthesized template.
 */
describe('bootstrap on local-cloud and the CDK stack', () => {
  it('agree on names, ports, health checks, deployment settings and alarms', async () => {
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

    const lb = (
      await h.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ['sg-production-sample-service'] }))
    ).LoadBalancers![0]!;
    expect(props('AWS::ElasticLoadBalancingV2::LoadBalancer').map((p) => p.Name)).toEqual([lb.LoadBalancerName]);
    const listeners = await h.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    expect(
      props('AWS::ElasticLoadBalancingV2::Listener')
        .map((p) => p.Port)
        .sort(),
    ).toEqual(listeners.Listeners!.map((l) => l.Port).sort());

    const live = await h.clients.elbv2.send(
      new DescribeTargetGroupsCommand({ Names: ['production-sample-service-blue', 'production-sample-service-green'] }),
    );
    const liveGroups = live.TargetGroups!.map((t) => ({
      name: t.TargetGroupName,
      port: t.Port,
      path: t.HealthCheckPath,
      interval: t.HealthCheckIntervalSeconds,
      timeout: t.HealthCheckTimeoutSeconds,
      healthy: t.HealthyThresholdCount,
      unhealthy: t.UnhealthyThresholdCount,
    }));
    const declaredGroups = props('AWS::ElasticLoadBalancingV2::TargetGroup').map((p) => ({
      name: p.Name,
      port: p.Port,
      path: p.HealthCheckPath,
      interval: p.HealthCheckIntervalSeconds,
      timeout: p.HealthCheckTimeoutSeconds,
      healthy: p.HealthyThresholdCount,
      unhealthy: p.UnhealthyThresholdCount,
    }));
    const byName = (a: { name?: string }, b: { name?: string }) => String(a.name).localeCompare(String(b.name));
    expect(declaredGroups.sort(byName)).toEqual(liveGroups.sort(byName));

    const service = (
      await h.clients.ecs.send(new DescribeServicesCommand({ cluster: 'sg-production', services: ['sample-service'] }))
    ).services![0]!;
    const [declaredService] = props('AWS::ECS::Service');
    expect([
      declaredService.ServiceName,
      declaredService.DesiredCount,
      declaredService.DeploymentController.Type,
    ]).toEqual([service.serviceName, service.desiredCount, service.deploymentController?.type]);
    expect(props('AWS::ECS::Cluster').map((p) => p.ClusterName)).toEqual(['sg-production']);

    const group = (
      await h.clients.codedeploy.send(
        new GetDeploymentGroupCommand({ applicationName: 'sg-production', deploymentGroupName: 'sample-service' }),
      )
    ).deploymentGroupInfo!;
    const [declaredGroup] = props('AWS::CodeDeploy::DeploymentGroup');
    const bg = group.blueGreenDeploymentConfiguration!;
    expect({
      application: declaredGroup.ApplicationName,
      config: declaredGroup.DeploymentConfigName,
      ready: declaredGroup.BlueGreenDeploymentConfiguration.DeploymentReadyOption,
      termination:
        declaredGroup.BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess
          .TerminationWaitTimeInMinutes,
      rollback: [...declaredGroup.AutoRollbackConfiguration.Events].sort(),
      alarms: declaredGroup.AlarmConfiguration.Alarms.map((a: { Name: string }) => a.Name),
      targetGroups: declaredGroup.LoadBalancerInfo.TargetGroupPairInfoList[0].TargetGroups.map(
        (t: { Name: string }) => t.Name,
      ),
    }).toEqual({
      application: group.applicationName,
      config: group.deploymentConfigName,
      ready: {
        ActionOnTimeout: bg.deploymentReadyOption?.actionOnTimeout,
        WaitTimeInMinutes: bg.deploymentReadyOption?.waitTimeInMinutes,
      },
      termination: bg.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes,
      rollback: [...(group.autoRollbackConfiguration?.events ?? [])].sort(),
      alarms: group.alarmConfiguration?.alarms?.map((a) => a.name),
      targetGroups: group.loadBalancerInfo?.targetGroupPairInfoList?.[0]?.targetGroups?.map((t) => t.name),
    });

    const alarms = (await h.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['sg-production-5xx'] })))
      .MetricAlarms!;
    expect(
      props('AWS::CloudWatch::Alarm').map((p) => [p.AlarmName, p.MetricName, p.Namespace, p.Threshold, p.Period]),
    ).toEqual(alarms.map((a) => [a.AlarmName, a.MetricName, a.Namespace, a.Threshold, a.Period]));
  }, 180_000);
});
