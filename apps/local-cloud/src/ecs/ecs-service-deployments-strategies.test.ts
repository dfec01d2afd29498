// ECS-native LINEAR and CANARY traffic shifting, and what rolls a deployment back on its own: CloudWatch alarms and
// the deployment circuit breaker. Through the real ECS, ELBv2 and CloudWatch clients.
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../local-cloud';
import { ECHO_SERVER_DIR, registerEchoTaskDefinition, testCredentials } from '../test-support';
import {
  blueGreenService,
  createBlueGreenInfra,
  createBlueGreenService,
  identity,
  startBlueGreenCloud,
  waitDeployment,
} from './blue-green-test-support';

let cloud: LocalCloud;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let cw: CloudWatchClient;
let v1: string;
let v2: string;
let bad: string;
let port = 80;

beforeAll(async () => {
  let image: string;
  ({ cloud, ecs, elb, image } = await startBlueGreenCloud(25000, { ecsDeployments: { alarmPollRealMs: 100 } }));
  cw = new CloudWatchClient({
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: testCredentials,
    maxAttempts: 1,
  });
  const crashing = (await cloud.buildImage({ dir: ECHO_SERVER_DIR, name: 'echo-crash', cmd: ['node', 'server.cjs'] }))
    .reference;
  cloud.faults.setTaskFault('echo-crash', 'crash-on-start');
  v1 = await registerEchoTaskDefinition(ecs, 'st', 'v1', image);
  v2 = await registerEchoTaskDefinition(ecs, 'st', 'v2', image);
  bad = await registerEchoTaskDefinition(ecs, 'st', 'bad', crashing);
  await ecs.send(new CreateClusterCommand({ clusterName: 'st' }));
}, 60_000);
afterAll(async () => {
  ecs?.destroy();
  elb?.destroy();
  cw?.destroy();
  await cloud?.close();
});

async function service(name: string, config: DeploymentConfiguration) {
  const infra = await createBlueGreenInfra(elb, `st${name}`, port++, (arn) => cloud.listenerUrl(arn));
  await createBlueGreenService(ecs, blueGreenService(infra, 'st', name, v1, config));
  const update = async (taskDefinition: string) =>
    (await ecs.send(new UpdateServiceCommand({ cluster: 'st', service: name, taskDefinition }))).service!
      .currentServiceDeployment!;
  return { infra, update };
}

/** Answers of `n` requests through the listener, by identity. */
async function split(url: string, n: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const who = await identity(url);
    out[who] = (out[who] ?? 0) + 1;
  }
  return out;
}

describe('LINEAR and CANARY move production traffic in steps', () => {
  it('LINEAR 50 % steps: half the production traffic on each revision during the step bake, then all on the new one', async () => {
    const { infra, update } = await service('linear', {
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 3 },
    });
    const arn = await update(v2);
    const half = await waitDeployment(
      ecs,
      arn,
      (d) => d.targetServiceRevision?.requestedProductionTrafficWeight === 50,
    );
    expect(half.lifecycleStage).toBe('PRODUCTION_TRAFFIC_SHIFT');
    expect(half.sourceServiceRevisions![0]!.requestedProductionTrafficWeight).toBe(50);
    const seen = await split(infra.url, 40);
    expect(seen['v1']).toBeGreaterThan(0);
    expect(seen['v2']).toBeGreaterThan(0);
    const done = await waitDeployment(ecs, arn, (d) => d.status === 'SUCCESSFUL');
    expect(done.deploymentConfiguration).toMatchObject({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 3 },
    });
    expect(await split(infra.url, 10)).toEqual({ v2: 10 });
  }, 60_000);

  it('CANARY 10 %: the canary share first, then everything after the canary bake', async () => {
    const { infra, update } = await service('canary', {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 },
    });
    const arn = await update(v2);
    await waitDeployment(ecs, arn, (d) => d.targetServiceRevision?.requestedProductionTrafficWeight === 10);
    const seen = await split(infra.url, 60);
    expect(seen['v1']).toBeGreaterThan(seen['v2'] ?? 0);
    await waitDeployment(ecs, arn, (d) => d.status === 'SUCCESSFUL');
    expect(await split(infra.url, 10)).toEqual({ v2: 10 });
  }, 60_000);
});

describe('alarms and the circuit breaker roll a deployment back', () => {
  it('an alarm in ALARM during bake time rolls back (alarms TRIGGERED) and traffic returns to the source', async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'st-5xx',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Namespace: 'AWS/ApplicationELB',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    const { infra, update } = await service('alarm', {
      bakeTimeInMinutes: 30,
      alarms: { alarmNames: ['st-5xx'], enable: true, rollback: true },
    });
    const arn = await update(v2);
    const baking = await waitDeployment(ecs, arn, (d) => d.lifecycleStage === 'BAKE_TIME');
    expect(baking.alarms).toEqual({ status: 'MONITORING', alarmNames: ['st-5xx'], triggeredAlarmNames: [] });
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'st-5xx', StateValue: 'ALARM', StateReason: 'test' }));
    const done = await waitDeployment(ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.alarms).toEqual({ status: 'TRIGGERED', alarmNames: ['st-5xx'], triggeredAlarmNames: ['st-5xx'] });
    expect(done.statusReason).toContain('st-5xx');
    expect(await identity(infra.url)).toBe('v1');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'st-5xx', StateValue: 'OK', StateReason: 'test' }));
  }, 60_000);

  it('tasks that keep failing to start trip the circuit breaker (TRIGGERED) and the deployment rolls back', async () => {
    const { infra, update } = await service('breaker', {
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    const arn = await update(bad);
    const done = await waitDeployment(ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL', 45_000);
    expect(done.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold: 3 });
    expect(done.deploymentCircuitBreaker!.failureCount).toBeGreaterThanOrEqual(3);
    expect(done.lifecycleStage).toBe('SCALE_UP');
    expect(done.statusReason).toMatch(/circuit breaker/);
    expect(await identity(infra.url)).toBe('v1');
  }, 60_000);

  it('with the circuit breaker on and rollback off, the failed deployment is STOPPED', async () => {
    const { update } = await service('halt', { deploymentCircuitBreaker: { enable: true, rollback: false } });
    const done = await waitDeployment(ecs, await update(bad), (d) => d.status === 'STOPPED', 45_000);
    expect(done.deploymentCircuitBreaker!.status).toBe('TRIGGERED');
  }, 60_000);
});
