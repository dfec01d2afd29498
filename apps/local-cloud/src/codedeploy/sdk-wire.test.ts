/**
 * The orchestration half through the real AWS SDK v3 clients and the runtime half's HTTP endpoint, with in-memory
 * ECS/ELB fakes behind CodeDeploy: checks that shapes, timestamps and error names survive the SDK's (de)serializers.
 */
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  DeploymentLimitExceededException,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudWatch } from '../cloudwatch';
import { Faults } from '../faults/faults';
import { startApiServer, type ApiServer } from '../server/api-server';
import { appSpecYaml } from './engine-test-bed';
import { createCodeDeploy } from './index';
import { FakeEcs, FakeElb, scaledCloudTime } from './testing';

let server: ApiServer;
let codeDeploy: ReturnType<typeof createCodeDeploy>;
let cd: CodeDeployClient;
let cw: CloudWatchClient;
const elb = new FakeElb();
const ecs = new FakeEcs();
const blueTg = elb.addTargetGroup('wire-blue');
elb.addTargetGroup('wire-green');
const prod = elb.addListener(80, blueTg);
const time = scaledCloudTime(6000); // one CodeDeploy minute per 10 real ms

beforeAll(async () => {
  ecs.addService({ clusterName: 'c', serviceName: 's', taskDefinition: 'td:1', targetGroupArn: blueTg });
  const cloudWatch = createCloudWatch({ region: 'us-east-1', accountId: '000000000000', time });
  codeDeploy = createCodeDeploy({
    ecs,
    elb,
    alarms: cloudWatch.alarms,
    time,
    region: 'us-east-1',
    accountId: '000000000000',
  });
  server = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    defaultRegion: 'us-east-1',
    json: [
      { name: 'codedeploy', targetPrefix: 'CodeDeploy_20141006', jsonVersion: '1.1', api: codeDeploy.api },
      {
        name: 'cloudwatch',
        targetPrefix: 'GraniteServiceVersion20100801',
        jsonVersion: '1.0',
        queryCompatible: true,
        api: cloudWatch.api,
      },
    ],
    query: [],
    faults: new Faults(1),
  });
  const config = {
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  cd = new CodeDeployClient(config);
  cw = new CloudWatchClient(config);
});

afterAll(async () => {
  cd?.destroy();
  cw?.destroy();
  await codeDeploy?.close();
  await server?.close();
});

describe('CodeDeploy and CloudWatch through the AWS SDK', () => {
  it('round-trips deployments, targets, configs and errors', async () => {
    await cd.send(new CreateApplicationCommand({ applicationName: 'wire', computePlatform: 'ECS' }));
    await cd.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'wire',
        deploymentGroupName: 'wire-dg',
        serviceRoleArn: 'arn:aws:iam::000000000000:role/cd',
        deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        ecsServices: [{ clusterName: 'c', serviceName: 's' }],
        loadBalancerInfo: {
          targetGroupPairInfoList: [
            {
              targetGroups: [{ name: 'wire-blue' }, { name: 'wire-green' }],
              prodTrafficRoute: { listenerArns: [prod] },
            },
          ],
        },
        blueGreenDeploymentConfiguration: {
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 600 },
        },
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_REQUEST'] },
      }),
    );
    const config = await cd.send(
      new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes' }),
    );
    expect(config.deploymentConfigInfo?.trafficRoutingConfig).toEqual({
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: 10, linearInterval: 3 },
    });
    expect(config.deploymentConfigInfo?.createTime).toBeInstanceOf(Date);

    const { deploymentId } = await cd.send(
      new CreateDeploymentCommand({
        applicationName: 'wire',
        deploymentGroupName: 'wire-dg',
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpecYaml('td:2') } },
      }),
    );
    const busy = await cd
      .send(
        new CreateDeploymentCommand({
          applicationName: 'wire',
          deploymentGroupName: 'wire-dg',
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpecYaml('td:3') } },
        }),
      )
      .catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(DeploymentLimitExceededException);
    expect((busy as Error).message).toBe(
      `The Deployment Group 'wire-dg' already has an active Deployment '${deploymentId}'`,
    );

    // Canary, then (5 CodeDeploy minutes = 50 ms later) all traffic, then the termination wait.
    for (let i = 0; i < 200 && elb.share(prod, blueTg) !== 0; i++) await new Promise((r) => setTimeout(r, 10));
    const info = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
    expect(info?.status).toBe('InProgress');
    expect(info?.instanceTerminationWaitTimeStarted).toBe(true);
    expect(info?.createTime).toBeInstanceOf(Date);
    expect(
      info?.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes,
    ).toBe(600);

    const targets = await cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ['c:s'] }));
    const ecsTarget = targets.deploymentTargets?.[0]?.ecsTarget;
    expect(ecsTarget?.lifecycleEvents?.map((e) => e.status)).toEqual(Array(8).fill('Succeeded'));
    expect(ecsTarget?.lifecycleEvents?.[6]?.endTime).toBeInstanceOf(Date);
    expect(
      ecsTarget?.taskSetsInfo?.map((t) => [t.taskSetLabel, t.trafficWeight, t.targetGroup?.name, t.desiredCount]),
    ).toEqual([
      ['Blue', 0, 'wire-blue', 2],
      ['Green', 100, 'wire-green', 2],
    ]);

    const stop = await cd.send(new StopDeploymentCommand({ deploymentId }));
    expect(stop.status).toBe('Succeeded');
    expect(elb.share(prod, blueTg)).toBe(100);
    const stopped = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
    expect(stopped?.status).toBe('Stopped');
    expect(stopped?.completeTime).toBeInstanceOf(Date);
    const rollbackId = stopped?.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-/);
    const listed = await cd.send(
      new ListDeploymentsCommand({ applicationName: 'wire', deploymentGroupName: 'wire-dg' }),
    );
    expect(listed.deployments).toEqual([rollbackId, deploymentId]);
  });

  it('CloudWatch alarms round-trip, and query-compatible errors come back as the SDK classes', async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'wire-5xx',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Namespace: 'AWS/ApplicationELB',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'wire-5xx', StateValue: 'ALARM', StateReason: 'wire test' }));
    const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['wire-5xx'] }));
    expect(out.MetricAlarms?.map((a) => [a.AlarmName, a.StateValue, a.StateReason])).toEqual([
      ['wire-5xx', 'ALARM', 'wire test'],
    ]);
    expect(out.MetricAlarms?.[0]?.StateUpdatedTimestamp).toBeInstanceOf(Date);
    const missing = await cw
      .send(new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'x' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFound);
    expect((missing as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(404);
  });
});
