import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskSetsCommand,
  InvalidParameterException,
  ListClustersCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  CreateLoadBalancerCommand,
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskSetView } from '../contract';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import {
  createFastTargetGroup,
  createForwardingListener,
  ECHO_SERVER_DIR,
  registerEchoTaskDefinition,
  sdkClients,
  waitFor,
} from '../test-support';

let cloud: LocalCloud;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let image: string;
let blue: string;
let green: string;
let prodListener: string;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, allowFastHealthChecks: true, listenerPortOffset: 23000, seed: 3 });
  ({ ecs, elb } = sdkClients(cloud.endpoint));
  image = (await cloud.buildImage({ dir: ECHO_SERVER_DIR, name: 'echo', cmd: ['node', 'server.cjs'] })).reference;
  await ecs.send(new CreateClusterCommand({ clusterName: 'bg' }));
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'bg', Subnets: ['s'] }))).LoadBalancers![0]!
    .LoadBalancerArn!;
  const group = (name: string) =>
    createFastTargetGroup(elb, name, { HealthyThresholdCount: 1, UnhealthyThresholdCount: 1 }, 1);
  blue = await group('bg-blue');
  green = await group('bg-green');
  prodListener = (await createForwardingListener(elb, lb, 80, blue)).Listeners![0]!.ListenerArn!;
  await createForwardingListener(elb, lb, 8080, green);
});
afterAll(async () => {
  ecs?.destroy();
  elb?.destroy();
  await cloud?.close();
});

const register = (family: string, identity: string, img = image) =>
  registerEchoTaskDefinition(ecs, family, identity, img);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

const steady = (arn: string) => () => {
  const ts = cloud.ecs.describeTaskSet(arn);
  return ts && ts.stabilityStatus === 'STEADY_STATE' && ts.healthyTargets === ts.computedDesiredCount ? ts : undefined;
};

describe('a CODE_DEPLOY service, driven through EcsControl and ElbControl', () => {
  it('goes blue → green: task set, weights, primary, drain', async () => {
    const v1 = await register('app', 'blue-v1');
    const created = await ecs.send(
      new CreateServiceCommand({
        cluster: 'bg',
        serviceName: 'app',
        taskDefinition: v1,
        desiredCount: 2,
        deploymentController: { type: 'CODE_DEPLOY' },
        loadBalancers: [{ targetGroupArn: blue, containerName: 'web', containerPort: 8080 }],
      }),
    );
    expect(created.service!.deployments).toEqual([]);
    expect(created.service!.taskSets![0]).toMatchObject({
      status: 'PRIMARY',
      scale: { value: 100, unit: 'PERCENT' },
      taskDefinition: v1,
      computedDesiredCount: 2,
    });
    const v2 = await register('app', 'green-v2');
    const refused = await rejection(
      ecs.send(new UpdateServiceCommand({ cluster: 'bg', service: 'app', taskDefinition: v2 })),
    );
    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect(refused.message).toBe(
      'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    );

    const service = cloud.ecs.getService('bg', 'app')!;
    expect(service).toMatchObject({
      deploymentController: 'CODE_DEPLOY',
      desiredCount: 2,
      taskDefinition: v1,
      loadBalancers: [{ targetGroupArn: blue, containerName: 'web', containerPort: 8080 }],
    });
    const original = service.taskSets[0]!;
    await waitFor('blue steady', steady(original.taskSetArn));

    const replacement = cloud.ecs.createTaskSet({
      clusterName: 'bg',
      serviceName: 'app',
      taskDefinition: v2,
      targetGroupArn: green,
      containerName: 'web',
      containerPort: 8080,
      scale: 100,
      externalId: 'd-TEST',
    });
    expect(replacement).toMatchObject({
      status: 'ACTIVE',
      externalId: 'd-TEST',
      taskDefinition: v2,
      targetGroupArn: green,
      computedDesiredCount: 2,
    });
    expect(replacement.taskSetArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:task-set\/bg\/app\/ecs-svc\/\d{19}$/);
    const ready: TaskSetView = await waitFor('green steady', steady(replacement.taskSetArn));
    expect(ready).toMatchObject({ runningCount: 2, healthyTargets: 2, unhealthyReasons: [] });
    const listed = await ecs.send(new DescribeTaskSetsCommand({ cluster: 'bg', service: 'app' }));
    expect(listed.taskSets!.map((t) => t.status)).toEqual(['PRIMARY', 'ACTIVE']);

    const prodUrl = cloud.listenerUrl(prodListener)!;
    const identity = async () => ((await (await fetch(prodUrl)).json()) as { identity: string }).identity;
    expect(await identity()).toBe('blue-v1');
    cloud.elb.setListenerWeights(prodListener, [
      { targetGroupArn: blue, weight: 0 },
      { targetGroupArn: green, weight: 100 },
    ]);
    expect(await identity()).toBe('green-v2');
    const described = await elb.send(new DescribeListenersCommand({ ListenerArns: [prodListener] }));
    expect(described.Listeners![0]!.DefaultActions![0]!.ForwardConfig!.TargetGroups).toEqual([
      { TargetGroupArn: blue, Weight: 0 },
      { TargetGroupArn: green, Weight: 100 },
    ]);

    cloud.ecs.setPrimaryTaskSet('bg', 'app', replacement.taskSetArn);
    expect(cloud.ecs.getService('bg', 'app')!.taskDefinition).toBe(v2);
    const failures: number[] = [];
    const load = (async () => {
      for (let i = 0; i < 30; i++) {
        const res = await fetch(prodUrl);
        if (res.status !== 200) failures.push(res.status);
        await res.arrayBuffer();
      }
    })();
    await cloud.ecs.deleteTaskSet(original.taskSetArn);
    await load;
    expect(failures).toEqual([]);
    expect(cloud.ecs.describeTaskSet(original.taskSetArn)).toBeUndefined();
    const after = (await ecs.send(new DescribeServicesCommand({ cluster: 'bg', services: ['app'] }))).services![0]!;
    expect(after.taskSets!.map((t) => [t.status, t.taskDefinition])).toEqual([['PRIMARY', v2]]);
    expect(after.taskDefinition).toBe(v2);
    expect(
      (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: blue }))).TargetHealthDescriptions,
    ).toEqual([]);
    expect(cloud.elb.findTargetGroupByName('bg-green')).toEqual({ targetGroupArn: green, name: 'bg-green' });
    expect(
      cloud.elb.getListener('arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/x/0/0'),
    ).toBeUndefined();
    expect(cloud.ecs.getService('bg', 'ghost')).toBeUndefined();
  });
});

describe('faults', () => {
  it('makes an image crash on start: the task set reports stopped tasks with their output', async () => {
    const built = await cloud.buildImage({ dir: ECHO_SERVER_DIR, name: 'crasher', cmd: ['node', 'server.cjs'] });
    cloud.faults.setTaskFault('crasher', 'crash-on-start');
    const v1 = await register('crash-app', 'x', built.reference);
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'bg',
        serviceName: 'crash-app',
        taskDefinition: v1,
        desiredCount: 1,
        deploymentController: { type: 'CODE_DEPLOY' },
        loadBalancers: [{ targetGroupArn: green, containerName: 'web', containerPort: 8080 }],
      }),
    );
    const ts = cloud.ecs.getService('bg', 'crash-app')!.taskSets[0]!;
    const view = await waitFor('two crashes', () => {
      const v = cloud.ecs.describeTaskSet(ts.taskSetArn);
      return v && v.stoppedTasks.length >= 2 ? v : undefined;
    });
    expect(view.stoppedTasks[0]).toMatchObject({ stoppedReason: 'Essential container in task exited', exitCode: 1 });
    expect(view.stoppedTasks[0]!.lastOutput).toContain('local-cloud fault injection: crash on start');
    await ecs.send(new UpdateServiceCommand({ cluster: 'bg', service: 'crash-app', desiredCount: 0 }));
    cloud.faults.setTaskFault('crasher', undefined);
  });

  it('makes an image never healthy: targets report Target.ResponseCodeMismatch; after the grace period ECS replaces the tasks', async () => {
    const built = await cloud.buildImage({ dir: ECHO_SERVER_DIR, name: 'sick', cmd: ['node', 'server.cjs'] });
    cloud.faults.setTaskFault('sick', 'never-healthy');
    const v = await register('sick-app', 'sick', built.reference);
    // With a grace period the unhealthy task stays, so its target's reason can be read.
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'bg',
        serviceName: 'sick-graced',
        taskDefinition: v,
        desiredCount: 1,
        healthCheckGracePeriodSeconds: 120,
        deploymentController: { type: 'CODE_DEPLOY' },
        loadBalancers: [{ targetGroupArn: green, containerName: 'web', containerPort: 8080 }],
      }),
    );
    const graced = cloud.ecs.getService('bg', 'sick-graced')!.taskSets[0]!;
    const unhealthy = await waitFor('an unhealthy target', () => {
      const x = cloud.ecs.describeTaskSet(graced.taskSetArn);
      return x && x.unhealthyReasons.includes('Target.ResponseCodeMismatch') ? x : undefined;
    });
    expect(unhealthy).toMatchObject({
      runningCount: 1,
      healthyTargets: 0,
      stabilityStatus: 'STABILIZING',
      unhealthyReasons: ['Target.ResponseCodeMismatch'],
      stoppedTasks: [],
    });
    await ecs.send(new UpdateServiceCommand({ cluster: 'bg', service: 'sick-graced', desiredCount: 0 }));
    // Without one (the service "app"), ECS stops the task for failing ELB health checks and starts another.
    const ts = cloud.ecs.createTaskSet({
      clusterName: 'bg',
      serviceName: 'app',
      taskDefinition: v,
      targetGroupArn: green,
      containerName: 'web',
      containerPort: 8080,
      scale: 50,
    });
    const view = await waitFor('a task replaced for failing health checks', () => {
      const x = cloud.ecs.describeTaskSet(ts.taskSetArn);
      return x && x.stoppedTasks.length > 0 ? x : undefined;
    });
    expect(view).toMatchObject({ computedDesiredCount: 1, healthyTargets: 0, stabilityStatus: 'STABILIZING' });
    expect(view.stoppedTasks[0]!.stoppedReason).toBe(`Task failed ELB health checks in (target-group ${green})`);
    await cloud.ecs.deleteTaskSet(ts.taskSetArn);
    cloud.faults.setTaskFault('sick', undefined);
  });

  it('throttles and fails API calls on demand, deterministically, and the SDK sees AWS error types', async () => {
    cloud.faults.addApiFault({ service: 'ecs', operation: 'ListClusters', kind: 'throttle', count: 1 });
    const e = await rejection(ecs.send(new ListClustersCommand({})));
    expect(e.name).toBe('ThrottlingException');
    expect(e.message).toBe('Rate exceeded');
    cloud.faults.addApiFault({ service: 'ecs', operation: 'ListClusters', kind: 'unavailable', count: 1 });
    const u = await rejection(ecs.send(new ListClustersCommand({})));
    expect(u.name).toBe('ServiceUnavailable');
    cloud.faults.addApiFault({ service: 'ecs', operation: 'ListClusters', kind: 'reset', count: 1 });
    await rejection(ecs.send(new ListClustersCommand({})));
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:cluster/bg',
    ]);
    // With retries on, the SDK rides through a throttled share of calls.
    const retrying = sdkClients(cloud.endpoint, 'us-east-1', 5).ecs;
    cloud.faults.clear(42);
    cloud.faults.addApiFault({ service: 'ecs', operation: 'ListClusters', kind: 'throttle', rate: 0.5 });
    const outcomes: number[] = [];
    for (let i = 0; i < 5; i++) outcomes.push((await retrying.send(new ListClustersCommand({}))).$metadata.attempts!);
    cloud.faults.clear(42);
    cloud.faults.addApiFault({ service: 'ecs', operation: 'ListClusters', kind: 'throttle', rate: 0.5 });
    const again: number[] = [];
    for (let i = 0; i < 5; i++) again.push((await retrying.send(new ListClustersCommand({}))).$metadata.attempts!);
    expect(again).toEqual(outcomes);
    expect(outcomes.some((n) => n > 1)).toBe(true);
    cloud.faults.clear();
    retrying.destroy();
  });
});
