// #11 item 25: a service's deploymentConfiguration as ECS reports it: AWS's defaults for what a caller left out,
// a partial update merged into what the service had. Through the real ECS client.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  CreateLoadBalancerCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import {
  ECHO_SERVER_DIR,
  createFastTargetGroup,
  createForwardingListener,
  registerEchoTaskDefinition,
  sdkClients,
} from '../test-support';

let cloud: LocalCloud;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let taskDefinition: string;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, listenerPortOffset: 22000, allowFastHealthChecks: true });
  ({ ecs, elb } = sdkClients(cloud.endpoint));
  const image = (await cloud.buildImage({ dir: ECHO_SERVER_DIR, name: 'echo', cmd: ['node', 'server.cjs'] })).reference;
  taskDefinition = await registerEchoTaskDefinition(ecs, 'dc', 'dc', image);
  await ecs.send(new CreateClusterCommand({ clusterName: 'dc' }));
});
afterAll(async () => {
  ecs?.destroy();
  elb?.destroy();
  await cloud?.close();
});

// desiredCount 0: what is checked is the configuration, not tasks.
const create = async (name: string, over: Partial<CreateServiceCommandInput> = {}) =>
  (
    await ecs.send(
      new CreateServiceCommand({ cluster: 'dc', serviceName: name, taskDefinition, desiredCount: 0, ...over }),
    )
  ).service!.deploymentConfiguration;

const describeConfig = async (name: string) =>
  (await ecs.send(new DescribeServicesCommand({ cluster: 'dc', services: [name] }))).services![0]!
    .deploymentConfiguration;

describe('deploymentConfiguration defaults and merges (#11.25)', () => {
  it('an ECS-controller service without one reports AWS defaults, circuit breaker included', async () => {
    const expected = {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    };
    expect(await create('none')).toEqual(expected);
    expect(await describeConfig('none')).toEqual(expected);
  });

  it('a partial one is completed with the defaults, and a partial update keeps what it does not name', async () => {
    expect(await create('partial', { deploymentConfiguration: { maximumPercent: 150 } })).toEqual({
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 150,
      minimumHealthyPercent: 100,
    });
    const updated = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'dc',
        service: 'partial',
        deploymentConfiguration: {
          minimumHealthyPercent: 50,
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      }),
    );
    const merged = {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 150,
      minimumHealthyPercent: 50,
    };
    expect(updated.service!.deploymentConfiguration).toEqual(merged);
    // An update that does not name it leaves it as it was.
    await ecs.send(new UpdateServiceCommand({ cluster: 'dc', service: 'partial', desiredCount: 0 }));
    expect(await describeConfig('partial')).toEqual(merged);
  });

  it('a CODE_DEPLOY service reports the percentages and no circuit breaker', async () => {
    const tg = await createFastTargetGroup(elb, 'dc-blue');
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'dc', Subnets: ['subnet-dc'] })))
      .LoadBalancers![0]!.LoadBalancerArn!;
    await createForwardingListener(elb, lb, 80, tg);
    const config = await create('bg', {
      deploymentController: { type: 'CODE_DEPLOY' },
      loadBalancers: [{ targetGroupArn: tg, containerName: 'web', containerPort: 8080 }],
      deploymentConfiguration: { minimumHealthyPercent: 50 },
    });
    expect(config).toEqual({ maximumPercent: 200, minimumHealthyPercent: 50 });
    expect(await describeConfig('bg')).toEqual({ maximumPercent: 200, minimumHealthyPercent: 50 });
  });
});
