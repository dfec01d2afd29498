// #11 item 25: with --time-scale, CodeDeploy's waits run faster, but every timestamp local-cloud reports is
// wall-clock time, since a client compares them with its own clock. Through the real SDK clients, at time scale 600.
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentTargetCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateClusterCommand, CreateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateListenerCommand, CreateLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from './local-cloud';
import {
  ECHO_SERVER_DIR,
  createFastTargetGroup,
  registerEchoTaskDefinition,
  sdkClients,
  testCredentials,
  waitFor,
} from './test-support';

const SCALE = 600; // one CodeDeploy minute per 100 real ms
let cloud: LocalCloud;
let cd: CodeDeployClient;
let cw: CloudWatchClient;
const started = Date.now();

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, timeScale: SCALE, allowFastHealthChecks: true, listenerPortOffset: 23000 });
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 };
  cd = new CodeDeployClient(config);
  cw = new CloudWatchClient(config);
});
afterAll(async () => {
  cd?.destroy();
  cw?.destroy();
  await cloud?.close();
});

/** A timestamp a client may compare with its own clock: not before the test began, not after now. */
const expectWallClock = (what: string, date: Date | undefined) => {
  expect(date, what).toBeInstanceOf(Date);
  expect(date!.getTime(), `${what} ${date?.toISOString()}`).toBeGreaterThanOrEqual(started - 1000);
  expect(date!.getTime(), `${what} ${date?.toISOString()}`).toBeLessThanOrEqual(Date.now() + 1000);
};

describe('timestamps under --time-scale are wall-clock time (#11.25)', () => {
  it('CodeDeploy applications and configs, and CloudWatch alarms, are stamped with the real time', async () => {
    // At scale 600 a scaled clock would be ten minutes ahead after one real second; a few ms are enough to show.
    await new Promise((r) => setTimeout(r, 200));
    await cd.send(new CreateApplicationCommand({ applicationName: 'clock', computePlatform: 'ECS' }));
    const app = await cd.send(new GetApplicationCommand({ applicationName: 'clock' }));
    expectWallClock('application createTime', app.application?.createTime);
    await cd.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'clock-linear',
        computePlatform: 'ECS',
        trafficRoutingConfig: {
          type: 'TimeBasedLinear',
          timeBasedLinear: { linearPercentage: 50, linearInterval: 1 },
        },
      }),
    );
    const config = await cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'clock-linear' }));
    expectWallClock('deployment config createTime', config.deploymentConfigInfo?.createTime);
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'clock-5xx',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Namespace: 'AWS/ApplicationELB',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    const alarm = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['clock-5xx'] }))).MetricAlarms![0]!;
    expectWallClock('alarm StateUpdatedTimestamp', alarm.StateUpdatedTimestamp);
    expectWallClock('alarm AlarmConfigurationUpdatedTimestamp', alarm.AlarmConfigurationUpdatedTimestamp);
  });

  it('a blue/green deployment reports real create, lifecycle and complete times, while its waits still run scaled', async () => {
    const { ecs, elb } = sdkClients(cloud.endpoint);
    const image = (await cloud.buildImage({ dir: ECHO_SERVER_DIR, name: 'echo', cmd: ['node', 'server.cjs'] }))
      .reference;
    const v1 = await registerEchoTaskDefinition(ecs, 'clock-v1', 'v1', image);
    const v2 = await registerEchoTaskDefinition(ecs, 'clock-v2', 'v2', image);
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'clock', Subnets: ['subnet-clock'] })))
      .LoadBalancers![0]!.LoadBalancerArn!;
    const blue = await createFastTargetGroup(elb, 'clock-blue', {}, 0);
    await createFastTargetGroup(elb, 'clock-green', {}, 0);
    const listener = async (port: number) =>
      (
        await elb.send(
          new CreateListenerCommand({
            LoadBalancerArn: lb,
            Protocol: 'HTTP',
            Port: port,
            DefaultActions: [{ Type: 'forward', TargetGroupArn: blue }],
          }),
        )
      ).Listeners![0]!.ListenerArn!;
    const prod = await listener(80);
    const test = await listener(8080);
    await ecs.send(new CreateClusterCommand({ clusterName: 'clock' }));
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'clock',
        serviceName: 'clock',
        taskDefinition: v1,
        desiredCount: 1,
        deploymentController: { type: 'CODE_DEPLOY' },
        loadBalancers: [{ targetGroupArn: blue, containerName: 'web', containerPort: 8080 }],
      }),
    );
    await cd.send(new CreateApplicationCommand({ applicationName: 'clock-bg', computePlatform: 'ECS' }));
    await cd.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'clock-bg',
        deploymentGroupName: 'clock-prod',
        serviceRoleArn: 'arn:aws:iam::000000000000:role/codedeploy',
        deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        ecsServices: [{ clusterName: 'clock', serviceName: 'clock' }],
        loadBalancerInfo: {
          targetGroupPairInfoList: [
            {
              targetGroups: [{ name: 'clock-blue' }, { name: 'clock-green' }],
              prodTrafficRoute: { listenerArns: [prod] },
              testTrafficRoute: { listenerArns: [test] },
            },
          ],
        },
        blueGreenDeploymentConfiguration: {
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 30 },
        },
      }),
    );
    const realStart = Date.now();
    const { deploymentId } = await cd.send(
      new CreateDeploymentCommand({
        applicationName: 'clock-bg',
        deploymentGroupName: 'clock-prod',
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: {
            content: `version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: "${v2}"\n        LoadBalancerInfo:\n          ContainerName: "web"\n          ContainerPort: 8080\n`,
          },
        },
      }),
    );
    const done = await waitFor(
      'the deployment to end',
      async () => {
        const info = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
        return ['Succeeded', 'Failed', 'Stopped'].includes(info.status ?? '') ? info : undefined;
      },
      90_000,
    );
    const realMs = Date.now() - realStart;
    expect(done.status).toBe('Succeeded');
    expectWallClock('createTime', done.createTime);
    expectWallClock('startTime', done.startTime);
    expectWallClock('completeTime', done.completeTime);
    expect(done.instanceTerminationWaitTimeStarted).toBe(true);
    // Ten linear steps of a minute and a 30-minute termination wait, 40 CodeDeploy minutes, ran scaled; the
    // times say how long it really took, as the client measured it.
    expect(done.completeTime!.getTime() - done.createTime!.getTime()).toBeLessThanOrEqual(realMs + 1000);
    const events = (await cd.send(new GetDeploymentTargetCommand({ deploymentId, targetId: 'clock:clock' })))
      .deploymentTarget?.ecsTarget?.lifecycleEvents;
    expect(events?.map((e) => e.lifecycleEventName)).toContain('AfterAllowTraffic');
    for (const e of events ?? []) {
      expectWallClock(`${e.lifecycleEventName} startTime`, e.startTime);
      expectWallClock(`${e.lifecycleEventName} endTime`, e.endTime);
    }
    ecs.destroy();
    elb.destroy();
  }, 120_000);
});
