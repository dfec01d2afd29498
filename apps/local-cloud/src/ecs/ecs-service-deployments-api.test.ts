// Conformance of the ECS service-deployment operations through the real ECS client: validation of ECS-native
// deployment settings, AWS's error names, hook outcomes (PAUSE continue/rollback/timeout, Lambda) and ABORT.
import {
  ClusterNotFoundException,
  ConflictException,
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  ServiceDeploymentNotFoundException,
  ServiceNotFoundException,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../local-cloud';
import { registerEchoTaskDefinition, waitFor } from '../test-support';
import {
  blueGreenService,
  createBlueGreenInfra,
  createBlueGreenService,
  identity,
  startBlueGreenCloud,
  waitDeployment,
  type BlueGreenInfra,
} from './blue-green-test-support';

let cloud: LocalCloud;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let v1: string;
let v2: string;
let port = 80;

beforeAll(async () => {
  let image: string;
  ({ cloud, ecs, elb, image } = await startBlueGreenCloud(24000));
  v1 = await registerEchoTaskDefinition(ecs, 'sd', 'v1', image);
  v2 = await registerEchoTaskDefinition(ecs, 'sd', 'v2', image);
  await ecs.send(new CreateClusterCommand({ clusterName: 'sd' }));
}, 60_000);
afterAll(async () => {
  ecs?.destroy();
  elb?.destroy();
  await cloud?.close();
});

const infraFor = (name: string): Promise<BlueGreenInfra> =>
  createBlueGreenInfra(elb, name, port++, (arn) => cloud.listenerUrl(arn));
const update = async (service: string, taskDefinition: string) =>
  (await ecs.send(new UpdateServiceCommand({ cluster: 'sd', service, taskDefinition }))).service!
    .currentServiceDeployment!;
const pauseAt = (
  stage: 'POST_SCALE_UP' | 'POST_TEST_TRAFFIC_SHIFT',
  timeout?: { timeoutInMinutes: number; action: 'CONTINUE' | 'ROLLBACK' },
) => ({
  lifecycleHooks: [
    { targetType: 'PAUSE' as const, lifecycleStages: [stage], ...(timeout ? { timeoutConfiguration: timeout } : {}) },
  ],
});
const awaitingHook = async (arn: string) =>
  (
    await waitDeployment(ecs, arn, (d) => d.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION') ?? false)
  ).lifecycleHookDetails!.find((h) => h.status === 'AWAITING_ACTION')!;

describe('CreateService with a traffic-shifting strategy: settings are checked as ECS checks them', () => {
  let infra: BlueGreenInfra;
  beforeAll(async () => (infra = await infraFor('sdval')));
  const refused = (over: (input: CreateServiceCommandInput) => void) => {
    const input = blueGreenService(infra, 'sd', 'refused', v1);
    input.desiredCount = 0;
    over(input);
    return expect(ecs.send(new CreateServiceCommand(input))).rejects.toBeInstanceOf(InvalidParameterException);
  };

  it('refuses a missing advancedConfiguration, missing load balancers and an unknown strategy', async () => {
    await refused((i) => delete i.loadBalancers![0]!.advancedConfiguration);
    await refused((i) => (i.loadBalancers = []));
    await refused((i) => (i.deploymentConfiguration!.strategy = 'PURPLE' as never));
  });

  it('refuses unknown rules, an alternate group equal to the group, and incomplete advancedConfiguration', async () => {
    const adv = (i: CreateServiceCommandInput) => i.loadBalancers![0]!.advancedConfiguration!;
    await refused(
      (i) => (adv(i).productionListenerRule = infra.productionRule.replace(/[0-9a-f]{16}$/, '0'.repeat(16))),
    );
    await refused((i) => (adv(i).alternateTargetGroupArn = infra.blueTg));
    await refused((i) => delete adv(i).roleArn);
  });

  it('refuses linear, canary, bake and hook settings out of AWS ranges', async () => {
    await refused((i) =>
      Object.assign(i.deploymentConfiguration!, { strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } }),
    );
    await refused((i) =>
      Object.assign(i.deploymentConfiguration!, { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0.05 } }),
    );
    await refused((i) => (i.deploymentConfiguration!.bakeTimeInMinutes = 1441));
    await refused(
      (i) =>
        (i.deploymentConfiguration!.lifecycleHooks = [{ targetType: 'PAUSE', lifecycleStages: ['SCALE_UP' as never] }]),
    );
    await refused(
      (i) =>
        (i.deploymentConfiguration!.lifecycleHooks = [{ targetType: 'AWS_LAMBDA', lifecycleStages: ['PRE_SCALE_UP'] }]),
    );
  });
});

describe('service deployment operations answer AWS errors', () => {
  const unknownDeployment = 'arn:aws:ecs:us-east-1:000000000000:service-deployment/sd/none/AAAAAAAAAAAAAAAAAAAAAA';

  it('Describe* report unknown ARNs as failures MISSING and malformed ones as InvalidParameterException', async () => {
    const d = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [unknownDeployment] }));
    expect(d).toMatchObject({ serviceDeployments: [], failures: [{ arn: unknownDeployment, reason: 'MISSING' }] });
    const revision = 'arn:aws:ecs:us-east-1:000000000000:service-revision/sd/none/1234567890123456789';
    const r = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revision] }));
    expect(r).toMatchObject({ serviceRevisions: [], failures: [{ arn: revision, reason: 'MISSING' }] });
    await expect(
      ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: ['not-an-arn'] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('ListServiceDeployments: unknown cluster, unknown service, unknown status filter', async () => {
    await expect(ecs.send(new ListServiceDeploymentsCommand({ cluster: 'nope', service: 'x' }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
    await expect(
      ecs.send(new ListServiceDeploymentsCommand({ cluster: 'sd', service: 'nope' })),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
    await ecs.send(
      new CreateServiceCommand({ cluster: 'sd', serviceName: 'rolling', taskDefinition: v1, desiredCount: 0 }),
    );
    await expect(
      ecs.send(new ListServiceDeploymentsCommand({ cluster: 'sd', service: 'rolling', status: ['NOPE' as never] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('Stop and Continue of an unknown deployment are ServiceDeploymentNotFoundException', async () => {
    await expect(
      ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: unknownDeployment })),
    ).rejects.toBeInstanceOf(ServiceDeploymentNotFoundException);
    await expect(
      ecs.send(
        new ContinueServiceDeploymentCommand({ serviceDeploymentArn: unknownDeployment, hookId: 'ecs-pause-x' }),
      ),
    ).rejects.toBeInstanceOf(ServiceDeploymentNotFoundException);
  });
});

describe('hooks, stop types and their statuses', () => {
  it('ContinueServiceDeployment ROLLBACK rolls back; a finished deployment cannot be stopped (ConflictException)', async () => {
    const infra = await infraFor('sdcr');
    await createBlueGreenService(ecs, blueGreenService(infra, 'sd', 'cr', v1, pauseAt('POST_TEST_TRAFFIC_SHIFT')));
    const arn = await update('cr', v2);
    const hook = await awaitingHook(arn);
    await expect(
      ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: 'ecs-pause-unknown' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await ecs.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId!, action: 'ROLLBACK' }),
    );
    const done = await waitDeployment(ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.lifecycleHookDetails![0]!.status).toBe('SUCCEEDED');
    expect(done.statusReason).toMatch(/ROLLBACK/);
    expect(await identity(infra.url, true)).toBe('v1');
    await expect(ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }))).rejects.toBeInstanceOf(
      ConflictException,
    );
    await expect(
      ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId! })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const rolledBack = await ecs.send(
      new ListServiceDeploymentsCommand({ cluster: 'sd', service: 'cr', status: ['ROLLBACK_SUCCESSFUL'] }),
    );
    expect(rolledBack.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([arn]);
  }, 60_000);

  it('a PAUSE hook whose timeout action is CONTINUE times out and the deployment goes on to SUCCESSFUL', async () => {
    const infra = await infraFor('sdto');
    await createBlueGreenService(
      ecs,
      blueGreenService(infra, 'sd', 'to', v1, pauseAt('POST_SCALE_UP', { timeoutInMinutes: 1, action: 'CONTINUE' })),
    );
    const done = await waitDeployment(ecs, await update('to', v2), (d) => d.status === 'SUCCESSFUL');
    expect(done.lifecycleHookDetails![0]).toMatchObject({ status: 'TIMED_OUT', timeoutAction: 'CONTINUE' });
    expect(await identity(infra.url)).toBe('v2');
  }, 60_000);

  it('an AWS_LAMBDA hook fails, as its function cannot be invoked, and the deployment rolls back', async () => {
    const infra = await infraFor('sdlm');
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:validate';
    await createBlueGreenService(
      ecs,
      blueGreenService(infra, 'sd', 'lm', v1, {
        lifecycleHooks: [
          {
            targetType: 'AWS_LAMBDA',
            hookTargetArn: fn,
            roleArn: 'arn:aws:iam::000000000000:role/hook',
            lifecycleStages: ['POST_SCALE_UP'],
          },
        ],
      }),
    );
    const done = await waitDeployment(ecs, await update('lm', v2), (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.lifecycleHookDetails![0]).toMatchObject({ targetType: 'AWS_LAMBDA', targetArn: fn, status: 'FAILED' });
    expect(done.statusReason).toContain('ResourceNotFoundException');
    expect(await identity(infra.url)).toBe('v1');
  }, 60_000);

  it('ABORT stops where it is (STOPPED); the next deployment reconciles the revisions left running', async () => {
    const infra = await infraFor('sdab');
    await createBlueGreenService(ecs, blueGreenService(infra, 'sd', 'ab', v1, pauseAt('POST_TEST_TRAFFIC_SHIFT')));
    const arn = await update('ab', v2);
    await awaitingHook(arn);
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ABORT' }));
    const stopped = await waitDeployment(ecs, arn, (d) => d.status === 'STOPPED');
    expect(stopped.stoppedAt).toBeInstanceOf(Date);
    expect(stopped.statusReason).toMatch(/ABORT/);
    // The hook that was awaiting action is closed: no client can act on it any more.
    expect(stopped.lifecycleHookDetails![0]!.status).toBe('SUCCEEDED');
    // Traffic stays where the deployment left it.
    expect(await identity(infra.url)).toBe('v1');
    expect(await identity(infra.url, true)).toBe('v2');

    await ecs.send(
      new UpdateServiceCommand({ cluster: 'sd', service: 'ab', deploymentConfiguration: { lifecycleHooks: [] } }),
    );
    const next = await waitDeployment(ecs, await update('ab', v1), (d) => d.status === 'SUCCESSFUL');
    expect(next.sourceServiceRevisions).toHaveLength(2);
    expect(await identity(infra.url)).toBe('v1');
    expect(await identity(infra.url, true)).toBe('v1');
  }, 90_000);
});

describe('moving a service from CodeDeploy to ECS-native blue/green in place (UpdateService deploymentController)', () => {
  it('keeps the running task set as the source revision and deploys the next revision ECS-native', async () => {
    const infra = await infraFor('sdmig');
    const lb = { targetGroupArn: infra.blueTg, containerName: 'web', containerPort: 8080 };
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'sd',
        serviceName: 'mig',
        taskDefinition: v1,
        desiredCount: 1,
        deploymentController: { type: 'CODE_DEPLOY' },
        loadBalancers: [lb],
      }),
    );
    await waitFor('the CodeDeploy task set to answer', async () =>
      (await identity(infra.url)) === 'v1' ? true : undefined,
    );
    const native = blueGreenService(infra, 'sd', 'mig', v1);
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: 'sd', service: 'mig', deploymentController: { type: 'EXTERNAL' } })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const migrated = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'sd',
        service: 'mig',
        deploymentController: { type: 'ECS' },
        deploymentConfiguration: native.deploymentConfiguration,
        loadBalancers: native.loadBalancers,
      }),
    );
    expect(migrated.service!.deploymentController).toEqual({ type: 'ECS' });
    expect(migrated.service!.loadBalancers![0]!.advancedConfiguration).toMatchObject({
      alternateTargetGroupArn: infra.greenTg,
    });
    expect(await identity(infra.url)).toBe('v1');
    const done = await waitDeployment(ecs, await update('mig', v2), (d) => d.status === 'SUCCESSFUL');
    expect(done.sourceServiceRevisions).toHaveLength(1);
    expect(await identity(infra.url)).toBe('v2');
  }, 60_000);
});
