/**
 * CodeDeploy ECS blue/green end to end on a real local-cloud: task processes, health checks, listeners that route by
 * weight. Driven only through the AWS SDK v3 clients (ECS and ELBv2 for the set-up, CodeDeploy and CloudWatch for
 * the behaviour under test), as shipgate's adapters will be. Time scale 60: one CodeDeploy minute per real second.
 */
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import {
  CodeDeployClient,
  ContinueDeploymentCommand,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  StopDeploymentCommand,
  UpdateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../index';
import { startLocalCloud } from '../index';
import { createFastTargetGroup, expectWallClock } from '../test-support';

const ECHO_DIR = fileURLToPath(new URL('../__fixtures__/echo-server', import.meta.url));
const TEST_TIMEOUT = 60_000;

let cloud: LocalCloud;
let cd: CodeDeployClient;
let cw: CloudWatchClient;
let ecs: ECSClient;
let prodUrl: string;
let testUrl: string;
const taskDefs: Record<string, string> = {};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value, or fails naming `what` after `ms` real milliseconds. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Which release answered each of `n` requests through a listener. */
async function identities(url: string, n = 20): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}/whoami`, { headers: { connection: 'close' } });
    out.push(res.ok ? ((await res.json()) as { identity: string }).identity : `HTTP ${res.status}`);
  }
  return out;
}

const deployment = async (deploymentId: string): Promise<DeploymentInfo> =>
  (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
const untilStatus = (id: string, statuses: string[], ms?: number) =>
  waitFor(
    `${id} to reach ${statuses.join('/')}`,
    async () => {
      const d = await deployment(id);
      return statuses.includes(d.status ?? '') ? d : undefined;
    },
    ms,
  );
const deploy = async (version: string, deploymentConfigName?: string) =>
  (
    await cd.send(
      new CreateDeploymentCommand({
        applicationName: 'echo',
        deploymentGroupName: 'echo-prod',
        ...(deploymentConfigName ? { deploymentConfigName } : {}),
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: {
            content: `version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: "${taskDefs[version]}"\n        LoadBalancerInfo:\n          ContainerName: "web"\n          ContainerPort: 8080\n`,
          },
        },
      }),
    )
  ).deploymentId!;
const setReadyOption = (actionOnTimeout: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT') =>
  cd.send(
    new UpdateDeploymentGroupCommand({
      applicationName: 'echo',
      currentDeploymentGroupName: 'echo-prod',
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout, waitTimeInMinutes: actionOnTimeout === 'STOP_DEPLOYMENT' ? 30 : 0 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 30 },
      },
    }),
  );

beforeAll(async () => {
  cloud = await startLocalCloud({
    port: 0,
    timeScale: 60,
    allowFastHealthChecks: true,
    codeDeploy: { installTimeoutMinutes: 8 },
  });
  const config = {
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 2,
  };
  cd = new CodeDeployClient(config);
  cw = new CloudWatchClient(config);
  ecs = new ECSClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const image = await cloud.buildImage({ dir: ECHO_DIR, name: 'echo', cmd: ['node', 'server.cjs'] });
  for (const [version, health] of [
    ['v1', 'ok'],
    ['v2', 'ok'],
    ['bad', 'fail'],
  ] as const) {
    const out = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `echo-${version}`,
        containerDefinitions: [
          {
            name: 'web',
            image: image.reference,
            essential: true,
            portMappings: [{ containerPort: 8080 }],
            environment: [
              { name: 'IDENTITY', value: version },
              { name: 'HEALTH', value: health },
            ],
          },
        ],
      }),
    );
    taskDefs[version] = out.taskDefinition!.taskDefinitionArn!;
  }
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'echo-lb', Subnets: ['subnet-1', 'subnet-2'] })))
    .LoadBalancers![0]!;
  const tgs: string[] = [];
  for (const name of ['echo-blue', 'echo-green']) {
    tgs.push(await createFastTargetGroup(elb, name, {}, 1));
  }
  const listener = async (port: number) =>
    (
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: port,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: tgs[0] }],
        }),
      )
    ).Listeners![0]!.ListenerArn!;
  const prodArn = await listener(28080);
  const testArn = await listener(28081);
  prodUrl = cloud.listenerUrl(prodArn)!;
  testUrl = cloud.listenerUrl(testArn)!;
  elb.destroy();

  await ecs.send(new CreateClusterCommand({ clusterName: 'echo' }));
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'echo',
      serviceName: 'echo',
      taskDefinition: taskDefs['v1'],
      desiredCount: 2,
      deploymentController: { type: 'CODE_DEPLOY' },
      loadBalancers: [{ targetGroupArn: tgs[0], containerName: 'web', containerPort: 8080 }],
    }),
  );
  await waitFor('v1 to serve production', async () =>
    (await identities(prodUrl, 4)).every((i) => i === 'v1') ? true : undefined,
  );

  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: 'echo-5xx',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
  );
  await cd.send(new CreateApplicationCommand({ applicationName: 'echo', computePlatform: 'ECS' }));
  await cd.send(
    new CreateDeploymentGroupCommand({
      applicationName: 'echo',
      deploymentGroupName: 'echo-prod',
      serviceRoleArn: 'arn:aws:iam::000000000000:role/codedeploy',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      ecsServices: [{ clusterName: 'echo', serviceName: 'echo' }],
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          {
            targetGroups: [{ name: 'echo-blue' }, { name: 'echo-green' }],
            prodTrafficRoute: { listenerArns: [prodArn] },
            testTrafficRoute: { listenerArns: [testArn] },
          },
        ],
      },
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 30 },
      },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
      alarmConfiguration: { enabled: true, alarms: [{ name: 'echo-5xx' }] },
    }),
  );
}, 60_000);

afterAll(async () => {
  for (const client of [cd, cw, ecs]) client?.destroy();
  await cloud?.close();
});

describe('CodeDeploy ECS blue/green on local-cloud, through the AWS SDK', () => {
  it(
    'waits Ready with test traffic on the replacement, shifts a canary, and rolls back instantly on StopDeployment in the termination wait',
    async () => {
      await setReadyOption('STOP_DEPLOYMENT');
      const realStart = Date.now();
      const id = await deploy('v2', 'CodeDeployDefault.ECSCanary10Percent5Minutes');
      await untilStatus(id, ['Ready']);
      expect(new Set(await identities(testUrl, 10))).toEqual(new Set(['v2']));
      expect(new Set(await identities(prodUrl, 10))).toEqual(new Set(['v1']));

      await cd.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }));
      await waitFor('canary traffic on v2', async () =>
        (await identities(prodUrl, 20)).includes('v2') ? true : undefined,
      );
      const target = (await cd.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'echo:echo' })))
        .deploymentTarget?.ecsTarget;
      expect(target?.taskSetsInfo?.map((t) => [t.taskSetLabel, t.trafficWeight])).toEqual([
        ['Blue', 90],
        ['Green', 10],
      ]);
      const waiting = await waitFor('the termination wait', async () =>
        (await deployment(id)).instanceTerminationWaitTimeStarted ? true : undefined,
      );
      expect(waiting).toBe(true);
      expect(new Set(await identities(prodUrl, 10))).toEqual(new Set(['v2']));

      const started = Date.now();
      await cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
      const afterStop = await identities(prodUrl, 10);
      const restoreMs = Date.now() - started;
      expect(new Set(afterStop)).toEqual(new Set(['v1']));
      const stopped = await deployment(id);
      expect(stopped.status).toBe('Stopped');
      expect(stopped.errorInformation?.code).toBe('MANUAL_STOP');
      const rollback = await untilStatus(stopped.rollbackInfo!.rollbackDeploymentId!, ['Succeeded', 'Failed']);
      expect(rollback.status).toBe('Succeeded');
      expect(rollback.creator).toBe('codeDeployRollback');
      expect(rollback.rollbackInfo?.rollbackTriggeringDeploymentId).toBe(id);
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'echo', services: ['echo'] })))
        .services![0]!;
      expect(service.taskSets?.map((t) => [t.status, t.taskDefinition])).toEqual([['PRIMARY', taskDefs['v1']]]);
      // #11 item 25: its 5-minute canary ran at time scale 60, and the times it reports are wall-clock time.
      const realMs = Date.now() - realStart;
      for (const [what, date] of [
        ['createTime', stopped.createTime],
        ['completeTime', stopped.completeTime],
        ['rollback createTime', rollback.createTime],
        ['rollback completeTime', rollback.completeTime],
      ] as const)
        expectWallClock(what, date, realStart);
      expect(stopped.completeTime!.getTime() - stopped.createTime!.getTime()).toBeLessThanOrEqual(realMs + 1000);
      const events = (await cd.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'echo:echo' })))
        .deploymentTarget?.ecsTarget?.lifecycleEvents;
      expect(events?.map((e) => e.lifecycleEventName)).toContain('AfterAllowTraffic');
      for (const e of events ?? []) if (e.startTime) expectWallClock(`${e.lifecycleEventName}`, e.startTime, realStart);
      console.log(`conformance: production back on v1 ${restoreMs} ms after StopDeployment was sent`);
    },
    TEST_TIMEOUT,
  );

  it(
    'fails a replacement that never gets healthy, says why, and rolls back without production ever seeing it',
    async () => {
      await setReadyOption('CONTINUE_DEPLOYMENT');
      const id = await deploy('bad');
      const failed = await untilStatus(id, ['Failed', 'Succeeded', 'Stopped'], 40_000);
      expect(failed.status).toBe('Failed');
      expect(failed.errorInformation?.code).toBe('ECS_UPDATE_ERROR');
      expect(failed.errorInformation?.message).toContain('0 of 2 targets healthy in target group echo-green');
      const rollback = await untilStatus(failed.rollbackInfo!.rollbackDeploymentId!, ['Succeeded', 'Failed']);
      expect(rollback.status).toBe('Succeeded');
      expect(new Set(await identities(prodUrl, 10))).toEqual(new Set(['v1']));
    },
    TEST_TIMEOUT,
  );

  it(
    'stops and rolls back when the watched alarm goes into ALARM during a linear shift',
    async () => {
      const id = await deploy('v2', 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes');
      await waitFor('some traffic on v2', async () =>
        (await identities(prodUrl, 20)).includes('v2') ? true : undefined,
      );
      await cw.send(
        new SetAlarmStateCommand({ AlarmName: 'echo-5xx', StateValue: 'ALARM', StateReason: 'conformance test' }),
      );
      const stopped = await untilStatus(id, ['Stopped', 'Failed', 'Succeeded'], 10_000);
      await cw.send(
        new SetAlarmStateCommand({ AlarmName: 'echo-5xx', StateValue: 'OK', StateReason: 'conformance test done' }),
      );
      expect(stopped.status).toBe('Stopped');
      expect(stopped.errorInformation?.code).toBe('ALARM_ACTIVE');
      expect(new Set(await identities(prodUrl, 10))).toEqual(new Set(['v1']));
      expect((await untilStatus(stopped.rollbackInfo!.rollbackDeploymentId!, ['Succeeded', 'Failed'])).status).toBe(
        'Succeeded',
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'succeeds all at once and deletes the original task set on ContinueDeployment(TERMINATION_WAIT)',
    async () => {
      const id = await deploy('v2');
      await waitFor('the termination wait', async () =>
        (await deployment(id)).instanceTerminationWaitTimeStarted ? true : undefined,
      );
      expect(new Set(await identities(prodUrl, 10))).toEqual(new Set(['v2']));
      await cd.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }));
      const done = await untilStatus(id, ['Succeeded', 'Failed', 'Stopped']);
      expect(done.status).toBe('Succeeded');
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'echo', services: ['echo'] })))
        .services![0]!;
      expect(service.taskSets?.map((t) => [t.status, t.taskDefinition])).toEqual([['PRIMARY', taskDefs['v2']]]);
      expect(service.taskDefinition).toBe(taskDefs['v2']);
      expect(new Set(await identities(prodUrl, 10))).toEqual(new Set(['v2']));
    },
    TEST_TIMEOUT,
  );
});
