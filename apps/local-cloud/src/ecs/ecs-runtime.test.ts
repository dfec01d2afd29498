import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  CreateLoadBalancerCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import {
  createFastTargetGroup,
  createForwardingListener,
  ECHO_SERVER_DIR,
  registerEchoTaskDefinition,
  isAlive,
  sdkClients,
  waitFor,
} from '../test-support';

let cloud: LocalCloud;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let image: string;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, allowFastHealthChecks: true, listenerPortOffset: 22000 });
  ({ ecs, elb } = sdkClients(cloud.endpoint));
  image = (await cloud.buildImage({ dir: ECHO_SERVER_DIR, name: 'echo', cmd: ['node', 'server.cjs'] })).reference;
  await ecs.send(new CreateClusterCommand({ clusterName: 'rt' }));
});
afterAll(async () => {
  ecs?.destroy();
  elb?.destroy();
  await cloud?.close();
});

const register = (family: string, identity: string, img = image) =>
  registerEchoTaskDefinition(ecs, family, identity, img);

async function balanced(name: string, port: number): Promise<{ tg: string; url: string }> {
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: ['s'] }))).LoadBalancers![0]!
    .LoadBalancerArn!;
  const tg = await createFastTargetGroup(elb, name, { HealthyThresholdCount: 1 }, 2);
  const listener = (await createForwardingListener(elb, lb, port, tg)).Listeners![0]!.ListenerArn!;
  return { tg, url: cloud.listenerUrl(listener)! };
}

async function tasksOf(service: string, desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING'): Promise<Task[]> {
  const arns = (await ecs.send(new ListTasksCommand({ cluster: 'rt', serviceName: service, desiredStatus }))).taskArns!;
  if (arns.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster: 'rt', tasks: arns }))).tasks!;
}

const identityAt = async (url: string) => ((await (await fetch(url)).json()) as { identity: string }).identity;

describe('tasks as processes', () => {
  it('runs a service behind a listener, replaces a crashed task and records why it stopped', async () => {
    await register('crashy', 'c1');
    const { url } = await balanced('crashy', 80);
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'rt',
        serviceName: 'crashy',
        taskDefinition: 'crashy',
        desiredCount: 1,
        loadBalancers: [
          { targetGroupArn: (await balanced('crashy-b', 81)).tg, containerName: 'web', containerPort: 8080 },
        ],
      }),
    );
    const [task] = await waitFor('a running task', async () => {
      const t = await tasksOf('crashy');
      return t.length === 1 && t[0]!.lastStatus === 'RUNNING' ? t : undefined;
    });
    expect(task!.containers![0]!.networkBindings![0]!.hostPort).toBeGreaterThan(0);
    expect(url).toMatch(/^http:/);
    await waitFor('task output', () =>
      cloud.taskOutput(task!.taskArn!)?.some((l) => l.includes('listening')) ? true : undefined,
    );
    const pid = cloud.taskPids()[0]!;
    process.kill(pid, 'SIGKILL');
    const stopped = await waitFor('the crashed task stopped', async () =>
      (await tasksOf('crashy', 'STOPPED')).find((t) => t.lastStatus === 'STOPPED'),
    );
    expect(stopped).toMatchObject({
      stoppedReason: 'Essential container in task exited',
      stopCode: 'EssentialContainerExited',
      desiredStatus: 'STOPPED',
    });
    expect(stopped.containers![0]!.exitCode).toBe(137);
    const replacement = await waitFor('a replacement', async () =>
      (await tasksOf('crashy')).find((t) => t.lastStatus === 'RUNNING' && t.taskArn !== task!.taskArn),
    );
    expect(replacement.taskArn).not.toBe(task!.taskArn);
  });

  it('stops a task whose image digest is unknown with CannotPullContainerError', async () => {
    const ghost = `local-cloud.local/echo@sha256:${'0'.repeat(64)}`;
    await register('ghost', 'g', ghost);
    await ecs.send(
      new CreateServiceCommand({ cluster: 'rt', serviceName: 'ghost', taskDefinition: 'ghost', desiredCount: 1 }),
    );
    const stopped = await waitFor('a stopped task', async () => (await tasksOf('ghost', 'STOPPED'))[0]);
    expect(stopped.stoppedReason).toMatch(/^CannotPullContainerError: /);
    expect(stopped.stoppedReason).toContain(ghost);
    expect(stopped.stopCode).toBe('TaskFailedToStart');
  });

  it('rolls an ECS-controller service onto a new task definition with zero failed requests', async () => {
    await register('roll', 'one');
    const { tg, url } = await balanced('roll', 82);
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'rt',
        serviceName: 'roll',
        taskDefinition: 'roll',
        desiredCount: 2,
        loadBalancers: [{ targetGroupArn: tg, containerName: 'web', containerPort: 8080 }],
      }),
    );
    await waitFor('v1 serving', async () => ((await fetch(url)).status === 200 ? true : undefined));
    const two = await register('roll', 'two');
    await ecs.send(new UpdateServiceCommand({ cluster: 'rt', service: 'roll', taskDefinition: two }));
    const failures: number[] = [];
    const seen = new Set<string>();
    const rolled = await waitFor(
      'rollout completed',
      async () => {
        const res = await fetch(url);
        if (res.status !== 200) failures.push(res.status);
        else seen.add(((await res.json()) as { identity: string }).identity);
        const svc = (await ecs.send(new DescribeServicesCommand({ cluster: 'rt', services: ['roll'] }))).services![0]!;
        return svc.deployments!.length === 1 &&
          svc.deployments![0]!.rolloutState === 'COMPLETED' &&
          svc.runningCount === 2
          ? svc
          : undefined;
      },
      30_000,
      20,
    );
    expect(failures).toEqual([]);
    expect(rolled.taskDefinition).toBe(two);
    expect([...seen]).toContain('two');
    expect(await identityAt(url)).toBe('two');
  });
});

describe('close()', () => {
  it('leaves no task process running', async () => {
    const other = await startLocalCloud({ port: 0 });
    const clients = sdkClients(other.endpoint);
    try {
      const img = (await other.buildImage({ dir: ECHO_SERVER_DIR, name: 'echo', cmd: ['node', 'server.cjs'] }))
        .reference;
      await clients.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
      await clients.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'f',
          containerDefinitions: [{ name: 'web', image: img, portMappings: [{ containerPort: 8080 }] }],
        }),
      );
      await clients.ecs.send(
        new CreateServiceCommand({ cluster: 'c', serviceName: 's', taskDefinition: 'f', desiredCount: 3 }),
      );
      const pids = await waitFor('three processes', () =>
        other.taskPids().length === 3 ? other.taskPids() : undefined,
      );
      expect(pids.every(isAlive)).toBe(true);
      await other.close();
      expect(pids.filter(isAlive)).toEqual([]);
      expect(other.taskPids()).toEqual([]);
    } finally {
      clients.ecs.destroy();
      await other.close();
    }
  });
});
