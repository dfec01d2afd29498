// Issue #13, "Done means": an ECS-native blue/green deployment on local-cloud driven with the plain AWS SDK (no
// shipgate code). (a) create, update, pause at the hook, continue, SUCCESSFUL with traffic on the new revision;
// (b) stop with ROLLBACK during bake time and see traffic back on the original revision at once.
import {
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../local-cloud';
import { registerEchoTaskDefinition } from '../test-support';
import {
  blueGreenService,
  createBlueGreenInfra,
  createBlueGreenService,
  identity,
  probe,
  startBlueGreenCloud,
  waitDeployment,
  type BlueGreenInfra,
} from './blue-green-test-support';

let cloud: LocalCloud;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let infra: BlueGreenInfra;
const defs: Record<'v1' | 'v2' | 'v3', string> = { v1: '', v2: '', v3: '' };

beforeAll(async () => {
  let image: string;
  ({ cloud, ecs, elb, image } = await startBlueGreenCloud(23000));
  for (const v of ['v1', 'v2', 'v3'] as const) defs[v] = await registerEchoTaskDefinition(ecs, 'bg', v, image);
  await ecs.send(new CreateClusterCommand({ clusterName: 'bg' }));
  infra = await createBlueGreenInfra(elb, 'bg', 80, (arn) => cloud.listenerUrl(arn));
}, 60_000);
afterAll(async () => {
  ecs?.destroy();
  elb?.destroy();
  await cloud?.close();
});

const update = async (taskDefinition: string) =>
  (await ecs.send(new UpdateServiceCommand({ cluster: 'bg', service: 'web', taskDefinition }))).service!
    .currentServiceDeployment!;

const awaitingHook = (arn: string) =>
  waitDeployment(ecs, arn, (d) => d.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION') ?? false);

describe('ECS-native blue/green through the plain SDK', () => {
  it('(a) pauses at the POST_TEST_TRAFFIC_SHIFT hook, continues, and ends SUCCESSFUL with traffic on the new revision', async () => {
    await createBlueGreenService(
      ecs,
      blueGreenService(infra, 'bg', 'web', defs.v1, {
        bakeTimeInMinutes: 1,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
      }),
    );
    expect(await identity(infra.url)).toBe('v1');
    const traffic = probe(infra.url);

    const arn = await update(defs.v2);
    expect(arn).toMatch(/^arn:aws:ecs:us-east-1:\d{12}:service-deployment\/bg\/web\/[A-Za-z0-9_-]+$/);
    const paused = await awaitingHook(arn);
    expect(paused).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' });
    const hook = paused.lifecycleHookDetails![0]!;
    expect(hook).toMatchObject({ targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK' });
    expect(hook.hookId).toMatch(/^ecs-pause-/);
    // Test traffic reaches the new revision; production stays on the original one.
    expect(await identity(infra.url, true)).toBe('v2');
    expect(await identity(infra.url)).toBe('v1');
    expect(paused.targetServiceRevision).toMatchObject({
      requestedTestTrafficWeight: 100,
      requestedProductionTrafficWeight: 0,
    });

    await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId! }));
    const done = await waitDeployment(ecs, arn, (d) => d.status === 'SUCCESSFUL');
    expect(done.lifecycleStage).toBe('CLEAN_UP');
    expect(done.lifecycleHookDetails![0]!.status).toBe('SUCCEEDED');
    expect(done.finishedAt).toBeInstanceOf(Date);
    const { failures, seen } = await traffic.stop();
    expect(failures).toBe(0);
    expect(seen.get('v2')).toBeGreaterThan(0);
    expect(await identity(infra.url)).toBe('v2');
    expect(await identity(infra.url, true)).toBe('v2');

    // The production rule now forwards to the alternate target group; the original revision is gone.
    const rule = (await elb.send(new DescribeRulesCommand({ RuleArns: [infra.productionRule] }))).Rules![0]!;
    expect(rule.Actions![0]!.ForwardConfig!.TargetGroups).toEqual([
      { TargetGroupArn: infra.blueTg, Weight: 0 },
      { TargetGroupArn: infra.greenTg, Weight: 100 },
    ]);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'bg', services: ['web'] }))).services![0]!;
    expect(service.taskDefinition).toBe(defs.v2);
    expect(service.currentServiceDeployment).toBe(arn);
    expect(service.currentServiceRevisions!.map((r) => r.arn)).toEqual([done.targetServiceRevision!.arn]);
    const revisions = (
      await ecs.send(
        new DescribeServiceRevisionsCommand({
          serviceRevisionArns: [done.sourceServiceRevisions![0]!.arn!, done.targetServiceRevision!.arn!],
        }),
      )
    ).serviceRevisions!;
    expect(revisions.map((r) => r.taskDefinition)).toEqual([defs.v1, defs.v2]);
    expect(revisions[1]!.resolvedConfiguration!.loadBalancers).toEqual([
      { targetGroupArn: infra.greenTg, productionListenerRule: infra.productionRule },
    ]);
    const listed = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'bg', service: 'web' })))
      .serviceDeployments!;
    expect(listed.map((d) => d.status)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
    expect(listed[0]!.serviceDeploymentArn).toBe(arn);
  }, 90_000);

  it('(b) StopServiceDeployment ROLLBACK during bake time puts traffic back on the original revision at once', async () => {
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'bg',
        service: 'web',
        deploymentConfiguration: { bakeTimeInMinutes: 30, lifecycleHooks: [] },
      }),
    );
    const arn = await update(defs.v3);
    const baking = await waitDeployment(ecs, arn, (d) => d.lifecycleStage === 'BAKE_TIME');
    expect(await identity(infra.url)).toBe('v3');
    const source = baking.sourceServiceRevisions![0]!.arn!;

    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    // No wait: the production rule points back at the source revision inside the call.
    expect(await identity(infra.url)).toBe('v2');
    expect(await identity(infra.url, true)).toBe('v2');
    const rolled = await waitDeployment(ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(rolled.rollback).toMatchObject({ serviceRevisionArn: source });
    expect(rolled.rollback!.reason).toMatch(/ROLLBACK/);
    expect(rolled.finishedAt).toBeInstanceOf(Date);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'bg', services: ['web'] }))).services![0]!;
    expect(service.taskDefinition).toBe(defs.v2);
    expect(service.currentServiceRevisions!.map((r) => r.arn)).toEqual([source]);
  }, 90_000);
});
