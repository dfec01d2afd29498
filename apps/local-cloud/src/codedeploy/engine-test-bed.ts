/** A CodeDeploy wired to the in-memory fakes and a manual clock, with one ECS service ready for blue/green: for tests. */
import { createCloudWatch } from '../cloudwatch';
import type { JsonServiceApi } from '../contract';
import type { CodeDeployOptions } from './engine-context';
import { createCodeDeploy } from './index';
import { FakeEcs, FakeElb, ManualCloudTime } from './testing';

type Wire = Record<string, unknown>;

/** The AppSpec every test deploys unless it says otherwise. */
export function appSpecYaml(taskDefinition = 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:2'): string {
  return [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    `        TaskDefinition: "${taskDefinition}"`,
    '        LoadBalancerInfo:',
    '          ContainerName: "web"',
    '          ContainerPort: 8080',
    '',
  ].join('\n');
}

/** Builds the bed: app `shop`, group `shop-prod`, service `prod/web` on target group `tg-blue`, listeners :80 and :8080. */
export async function createTestBed(groupOverrides: Wire = {}, options: CodeDeployOptions = {}) {
  const log: string[] = [];
  const time = new ManualCloudTime();
  const ecs = new FakeEcs(log, time);
  const elb = new FakeElb(log);
  ecs.elb = elb;
  const blueTg = elb.addTargetGroup('tg-blue');
  const greenTg = elb.addTargetGroup('tg-green');
  const prod = elb.addListener(80, blueTg);
  const test = elb.addListener(8080, blueTg);
  ecs.addService({
    clusterName: 'prod',
    serviceName: 'web',
    taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
    targetGroupArn: blueTg,
    desiredCount: 2,
  });
  const cloudWatch = createCloudWatch({ region: 'us-east-1', accountId: '000000000000', time });
  const codeDeploy = createCodeDeploy({
    ecs,
    elb,
    alarms: cloudWatch.alarms,
    time,
    region: 'us-east-1',
    accountId: '000000000000',
    options,
  });
  const call = async (api: JsonServiceApi, op: string, input: Wire): Promise<Wire> => {
    const handler = api[op];
    if (!handler) throw new Error(`no operation ${op}`);
    return handler(input);
  };
  const cd = (op: string, input: Wire) => call(codeDeploy.api, op, input);
  await cd('CreateApplication', { applicationName: 'shop', computePlatform: 'ECS' });
  const groupInput: Wire = {
    applicationName: 'shop',
    deploymentGroupName: 'shop-prod',
    serviceRoleArn: 'arn:aws:iam::000000000000:role/codedeploy',
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    ecsServices: [{ clusterName: 'prod', serviceName: 'web' }],
    loadBalancerInfo: {
      targetGroupPairInfoList: [
        {
          targetGroups: [{ name: 'tg-blue' }, { name: 'tg-green' }],
          prodTrafficRoute: { listenerArns: [prod] },
          testTrafficRoute: { listenerArns: [test] },
        },
      ],
    },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
    },
    autoRollbackConfiguration: {
      enabled: true,
      events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'],
    },
    ...groupOverrides,
  };
  await cd('CreateDeploymentGroup', groupInput);

  const deployment = async (id: string) => (await cd('GetDeployment', { deploymentId: id }))['deploymentInfo'] as Wire;
  const ecsTarget = async (id: string) => {
    const out = await cd('GetDeploymentTarget', { deploymentId: id, targetId: 'prod:web' });
    return (out['deploymentTarget'] as Wire)['ecsTarget'] as {
      lifecycleEvents: Wire[];
      taskSetsInfo: Wire[];
      status: string;
    };
  };
  return {
    log,
    time,
    ecs,
    elb,
    blueTg,
    greenTg,
    prod,
    test,
    cloudWatch,
    codeDeploy,
    cd,
    cw: (op: string, input: Wire) => call(cloudWatch.api, op, input),
    deployment,
    ecsTarget,
    /** Starts a deployment of `taskDefinition` (YAML AppSpec unless `content` is given). */
    async deploy(extra: Wire = {}, content = appSpecYaml()): Promise<string> {
      const out = await cd('CreateDeployment', {
        applicationName: 'shop',
        deploymentGroupName: 'shop-prod',
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
        ...extra,
      });
      return out['deploymentId'] as string;
    },
    /** Moves the clock until the deployment's status is one of `statuses`. */
    async until(id: string, ...statuses: string[]): Promise<Wire> {
      let last: Wire = {};
      await time.runUntil(() => {
        // GetDeployment is synchronous in this module, so the predicate can read it directly.
        last = (codeDeploy.api['GetDeployment']!({ deploymentId: id }) as Wire)['deploymentInfo'] as Wire;
        return statuses.includes(last['status'] as string);
      });
      return last;
    },
    /** Production listener weights as [blue, green] pairs, in the order they were set. */
    prodWeights(): number[][] {
      return (elb.history.get(prod) ?? []).map((tgs) => [
        tgs.find((t) => t.targetGroupArn === blueTg)?.weight ?? 0,
        tgs.find((t) => t.targetGroupArn === greenTg)?.weight ?? 0,
      ]);
    },
    close: () => codeDeploy.close(),
  };
}

export type TestBed = Awaited<ReturnType<typeof createTestBed>>;
