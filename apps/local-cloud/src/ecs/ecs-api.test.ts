import {
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTaskSetsCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  ServiceNotFoundException,
  TagResourceCommand,
  UpdateServiceCommand,
  paginateListTaskDefinitions,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import { ECHO_SERVER_DIR, sdkClients } from '../test-support';

let cloud: LocalCloud;
let ecs: ECSClient;
let image: string;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, region: 'us-west-2' });
  ecs = sdkClients(cloud.endpoint, 'us-west-2').ecs;
  image = (await cloud.buildImage({ dir: ECHO_SERVER_DIR, name: 'echo', cmd: ['node', 'server.cjs'] })).reference;
  await ecs.send(new CreateClusterCommand({ clusterName: 'api' }));
});
afterAll(async () => {
  ecs?.destroy();
  await cloud?.close();
});

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

const register = (family: string, env: Record<string, string> = {}) =>
  ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'web',
          image,
          essential: true,
          portMappings: [{ containerPort: 8080 }],
          environment: Object.entries(env).map(([name, value]) => ({ name, value })),
        },
      ],
    }),
  );

describe('clusters', () => {
  it('creates idempotently and reports missing clusters as failures', async () => {
    const again = await ecs.send(new CreateClusterCommand({ clusterName: 'api' }));
    expect(again.cluster).toMatchObject({
      clusterArn: 'arn:aws:ecs:us-west-2:000000000000:cluster/api',
      clusterName: 'api',
      status: 'ACTIVE',
    });
    const d = await ecs.send(new DescribeClustersCommand({ clusters: ['api', 'ghost'] }));
    expect(d.clusters!.map((c) => c.clusterName)).toEqual(['api']);
    expect(d.failures).toEqual([{ arn: 'arn:aws:ecs:us-west-2:000000000000:cluster/ghost', reason: 'MISSING' }]);
  });
});

describe('task definitions', () => {
  it('registers revisions family:N, describes, lists in pages and deregisters', async () => {
    const first = await register('paged');
    expect(first.taskDefinition).toMatchObject({
      taskDefinitionArn: 'arn:aws:ecs:us-west-2:000000000000:task-definition/paged:1',
      family: 'paged',
      revision: 1,
      status: 'ACTIVE',
      networkMode: 'awsvpc',
      cpu: '256',
    });
    expect(first.taskDefinition!.containerDefinitions![0]).toMatchObject({
      name: 'web',
      image,
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
    });
    expect(first.taskDefinition!.registeredAt).toBeInstanceOf(Date);
    for (let i = 2; i <= 5; i++) await register('paged');
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'paged' }));
    expect(latest.taskDefinition!.revision).toBe(5);
    const page = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'paged', maxResults: 2 }));
    expect(page.taskDefinitionArns).toHaveLength(2);
    expect(page.nextToken).toBeTruthy();
    const all: string[] = [];
    for await (const p of paginateListTaskDefinitions(
      { client: ecs, pageSize: 2 },
      { familyPrefix: 'paged', sort: 'DESC' },
    ))
      all.push(...p.taskDefinitionArns!);
    expect(all.map((a) => a.split(':').pop())).toEqual(['5', '4', '3', '2', '1']);
    const gone = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'paged:5' }));
    expect(gone.taskDefinition!.status).toBe('INACTIVE');
    expect(
      (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'paged' }))).taskDefinition!.revision,
    ).toBe(4);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'paged', status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns).toEqual(['arn:aws:ecs:us-west-2:000000000000:task-definition/paged:5']);
  });

  it('answers unknown task definitions with ClientException and bad input with InvalidParameterException', async () => {
    const e = await rejection(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:1' })));
    expect(e).toBeInstanceOf(ClientException);
    expect(e.message).toBe('Unable to describe task definition.');
    const missing = await rejection(ecs.send(new RegisterTaskDefinitionCommand({ family: 'x' } as never)));
    expect(missing).toBeInstanceOf(InvalidParameterException);
    expect(missing.message).toBe(
      "1 validation error detected: Value null at 'containerDefinitions' failed to satisfy constraint: Member must not be null",
    );
    const bad = await rejection(ecs.send(new ListTaskDefinitionsCommand({ maxResults: 1000 })));
    expect(bad).toBeInstanceOf(InvalidParameterException);
  });

  it('tags resources', async () => {
    const arn = (await register('tagged')).taskDefinition!.taskDefinitionArn!;
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'release', value: 'r1' }] }));
    await ecs.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: [
          { key: 'release', value: 'r2' },
          { key: 'team', value: 'a' },
        ],
      }),
    );
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { key: 'release', value: 'r2' },
      { key: 'team', value: 'a' },
    ]);
  });
});

describe('services', () => {
  it('creates, describes (with failures for missing ones), updates and deletes a service', async () => {
    await register('svc', { IDENTITY: 'one' });
    const created = await ecs.send(
      new CreateServiceCommand({ cluster: 'api', serviceName: 'svc', taskDefinition: 'svc', desiredCount: 1 }),
    );
    expect(created.service).toMatchObject({
      serviceArn: 'arn:aws:ecs:us-west-2:000000000000:service/api/svc',
      status: 'ACTIVE',
      desiredCount: 1,
      deploymentController: { type: 'ECS' },
      taskDefinition: 'arn:aws:ecs:us-west-2:000000000000:task-definition/svc:1',
    });
    expect(created.service!.deployments).toHaveLength(1);
    expect(created.service!.deployments![0]!.id).toMatch(/^ecs-svc\/\d{19}$/);
    const dup = await rejection(
      ecs.send(
        new CreateServiceCommand({ cluster: 'api', serviceName: 'svc', taskDefinition: 'svc', desiredCount: 1 }),
      ),
    );
    expect(dup).toBeInstanceOf(InvalidParameterException);
    expect(dup.message).toBe('Creation of service was not idempotent.');
    const d = await ecs.send(new DescribeServicesCommand({ cluster: 'api', services: ['svc', 'ghost'] }));
    expect(d.services!.map((s) => s.serviceName)).toEqual(['svc']);
    expect(d.failures).toEqual([{ arn: 'arn:aws:ecs:us-west-2:000000000000:service/api/ghost', reason: 'MISSING' }]);
    const upd = await ecs.send(new UpdateServiceCommand({ cluster: 'api', service: 'svc', desiredCount: 0 }));
    expect(upd.service!.desiredCount).toBe(0);
    const del = await ecs.send(new DeleteServiceCommand({ cluster: 'api', service: 'svc' }));
    expect(del.service!.status).toBe('DRAINING');
  });

  it('answers unknown services and clusters with their typed exceptions', async () => {
    expect(
      await rejection(ecs.send(new UpdateServiceCommand({ cluster: 'api', service: 'ghost', desiredCount: 1 }))),
    ).toBeInstanceOf(ServiceNotFoundException);
    expect(await rejection(ecs.send(new DeleteServiceCommand({ cluster: 'api', service: 'ghost' })))).toBeInstanceOf(
      ServiceNotFoundException,
    );
    const c = await rejection(ecs.send(new DescribeServicesCommand({ cluster: 'ghost', services: ['x'] })));
    expect(c).toBeInstanceOf(ClusterNotFoundException);
    expect(c.message).toBe('Cluster not found.');
    expect(c.$metadata?.httpStatusCode).toBe(400);
    const missing = await rejection(
      ecs.send(new CreateServiceCommand({ cluster: 'api', taskDefinition: 'svc', desiredCount: 1 } as never)),
    );
    expect(missing).toBeInstanceOf(InvalidParameterException);
  });

  it('refuses to delete a scaled-up service without force', async () => {
    await register('scaled');
    await ecs.send(
      new CreateServiceCommand({ cluster: 'api', serviceName: 'scaled', taskDefinition: 'scaled', desiredCount: 1 }),
    );
    const e = await rejection(ecs.send(new DeleteServiceCommand({ cluster: 'api', service: 'scaled' })));
    expect(e).toBeInstanceOf(InvalidParameterException);
    expect(e.message).toBe('The service cannot be stopped while it is scaled above 0.');
    expect(
      (await ecs.send(new DeleteServiceCommand({ cluster: 'api', service: 'scaled', force: true }))).service!.status,
    ).toBe('DRAINING');
  });

  it('lists services 10 per page by default and shows tags only when asked', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'pages' }));
    await register('idle');
    for (let i = 0; i < 12; i++)
      await ecs.send(
        new CreateServiceCommand({
          cluster: 'pages',
          serviceName: `idle-${i}`,
          taskDefinition: 'idle',
          desiredCount: 0,
          tags: [{ key: 'n', value: String(i) }],
        }),
      );
    const first = await ecs.send(new ListServicesCommand({ cluster: 'pages' }));
    expect(first.serviceArns).toHaveLength(10);
    const second = await ecs.send(new ListServicesCommand({ cluster: 'pages', nextToken: first.nextToken }));
    expect(second.serviceArns).toEqual([
      'arn:aws:ecs:us-west-2:000000000000:service/pages/idle-10',
      'arn:aws:ecs:us-west-2:000000000000:service/pages/idle-11',
    ]);
    expect(second.nextToken).toBeUndefined();
    expect(
      (await ecs.send(new DescribeServicesCommand({ cluster: 'pages', services: ['idle-3'] }))).services![0]!.tags,
    ).toBeUndefined();
    expect(
      (await ecs.send(new DescribeServicesCommand({ cluster: 'pages', services: ['idle-3'], include: ['TAGS'] })))
        .services![0]!.tags,
    ).toEqual([{ key: 'n', value: '3' }]);
  });

  it('refuses DescribeTaskSets on an ECS-controller service', async () => {
    await register('plain');
    await ecs.send(
      new CreateServiceCommand({ cluster: 'api', serviceName: 'plain', taskDefinition: 'plain', desiredCount: 0 }),
    );
    expect(await rejection(ecs.send(new DescribeTaskSetsCommand({ cluster: 'api', service: 'plain' })))).toBeInstanceOf(
      InvalidParameterException,
    );
  });
});

describe('tasks', () => {
  it('lists tasks in pages and describes them, with failures for unknown ones', async () => {
    await register('many');
    await ecs.send(
      new CreateServiceCommand({ cluster: 'api', serviceName: 'many', taskDefinition: 'many', desiredCount: 3 }),
    );
    const p1 = await ecs.send(new ListTasksCommand({ cluster: 'api', serviceName: 'many', maxResults: 2 }));
    expect(p1.taskArns).toHaveLength(2);
    const p2 = await ecs.send(
      new ListTasksCommand({ cluster: 'api', serviceName: 'many', maxResults: 2, nextToken: p1.nextToken }),
    );
    expect(p2.taskArns).toHaveLength(1);
    expect(p2.nextToken).toBeUndefined();
    const arns = [...p1.taskArns!, ...p2.taskArns!];
    expect(arns.every((a) => /^arn:aws:ecs:us-west-2:000000000000:task\/api\/[0-9a-f]{32}$/.test(a))).toBe(true);
    const d = await ecs.send(
      new DescribeTasksCommand({
        cluster: 'api',
        tasks: [...arns, 'arn:aws:ecs:us-west-2:000000000000:task/api/0000'],
      }),
    );
    expect(d.tasks).toHaveLength(3);
    expect(d.tasks![0]).toMatchObject({
      group: 'service:many',
      desiredStatus: 'RUNNING',
      clusterArn: 'arn:aws:ecs:us-west-2:000000000000:cluster/api',
    });
    expect(d.failures).toEqual([{ arn: 'arn:aws:ecs:us-west-2:000000000000:task/api/0000', reason: 'MISSING' }]);
    const bad = await rejection(ecs.send(new ListTasksCommand({ cluster: 'api', nextToken: 'garbage' })));
    expect(bad).toBeInstanceOf(InvalidParameterException);
    await ecs.send(new DeleteServiceCommand({ cluster: 'api', service: 'many', force: true }));
  });
});
