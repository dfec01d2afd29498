import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  type CreateServiceCommandInput,
  type ECSClient,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import {
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../local-cloud';
import { ECHO_SERVER_DIR, createFastTargetGroup, createForwardingListener, sdkClients, waitFor } from '../test-support';

/**
 * local-cloud for ECS-native tests: time scale 60 (an ECS minute of bake time or hook timeout lasts a second;
 * health checks stay real time), fast health checks, SDK clients, and the echo image built.
 */
export async function startBlueGreenCloud(
  listenerPortOffset: number,
  extra: LocalCloudOptions = {},
): Promise<{ cloud: LocalCloud; ecs: ECSClient; elb: ElasticLoadBalancingV2Client; image: string }> {
  const cloud = await startLocalCloud({
    port: 0,
    allowFastHealthChecks: true,
    listenerPortOffset,
    timeScale: 60,
    ...extra,
  });
  const { ecs, elb } = sdkClients(cloud.endpoint);
  const image = (await cloud.buildImage({ dir: ECHO_SERVER_DIR, name: 'echo', cmd: ['node', 'server.cjs'] })).reference;
  return { cloud, ecs, elb, image };
}

/** The ELBv2 side of an ECS-native blue/green service, made with the plain SDK as a user would. */
export interface BlueGreenInfra {
  blueTg: string;
  greenTg: string;
  listenerArn: string;
  /** Forwards every path (priority 10): the production listener rule. */
  productionRule: string;
  /** Forwards requests with `X-Test: 1` (priority 1): the test listener rule. */
  testRule: string;
  url: string;
}

/** A load balancer, two target groups, one listener with a production and a test rule. */
export async function createBlueGreenInfra(
  elb: ElasticLoadBalancingV2Client,
  name: string,
  port: number,
  listenerUrl: (arn: string) => string | undefined,
  deregistrationDelaySeconds = 1,
): Promise<BlueGreenInfra> {
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: [`subnet-${name}`] })))
    .LoadBalancers![0]!.LoadBalancerArn!;
  const blueTg = await createFastTargetGroup(elb, `${name}-blue`, {}, deregistrationDelaySeconds);
  const greenTg = await createFastTargetGroup(elb, `${name}-green`, {}, deregistrationDelaySeconds);
  const listenerArn = (await createForwardingListener(elb, lb, port, blueTg)).Listeners![0]!.ListenerArn!;
  const forward = [
    {
      Type: 'forward' as const,
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: blueTg, Weight: 100 },
          { TargetGroupArn: greenTg, Weight: 0 },
        ],
      },
    },
  ];
  const rule = async (priority: number, conditions: unknown[]) =>
    (
      await elb.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: priority,
          Conditions: conditions as never,
          Actions: forward,
        }),
      )
    ).Rules![0]!.RuleArn!;
  const testRule = await rule(1, [
    { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Test', Values: ['1'] } },
  ]);
  const productionRule = await rule(10, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }]);
  return { blueTg, greenTg, listenerArn, productionRule, testRule, url: listenerUrl(listenerArn)! };
}

/** CreateService input for a BLUE_GREEN service on the infra (the caller adds or overrides the rest). */
export function blueGreenService(
  infra: BlueGreenInfra,
  cluster: string,
  serviceName: string,
  taskDefinition: string,
  deploymentConfiguration: NonNullable<CreateServiceCommandInput['deploymentConfiguration']> = {},
): CreateServiceCommandInput {
  return {
    cluster,
    serviceName,
    taskDefinition,
    desiredCount: 1,
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: { strategy: 'BLUE_GREEN', ...deploymentConfiguration },
    loadBalancers: [
      {
        targetGroupArn: infra.blueTg,
        containerName: 'web',
        containerPort: 8080,
        advancedConfiguration: {
          alternateTargetGroupArn: infra.greenTg,
          productionListenerRule: infra.productionRule,
          testListenerRule: infra.testRule,
          roleArn: 'arn:aws:iam::000000000000:role/ecsInfrastructureRole',
        },
      },
    ],
  };
}

/** Creates the service and waits for its first deployment to be SUCCESSFUL; answers the service ARN. */
export async function createBlueGreenService(ecs: ECSClient, input: CreateServiceCommandInput): Promise<string> {
  const service = (await ecs.send(new CreateServiceCommand(input))).service!;
  await waitDeployment(ecs, service.currentServiceDeployment!, (d) => d.status === 'SUCCESSFUL');
  return service.serviceArn!;
}

/** Polls DescribeServiceDeployments until `done` holds; answers the deployment then. */
export function waitDeployment(
  ecs: ECSClient,
  arn: string,
  done: (d: ServiceDeployment) => boolean,
  timeoutMs = 30_000,
): Promise<ServiceDeployment> {
  return waitFor(
    `service deployment ${arn} to reach the expected state`,
    async () => {
      const d = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
        .serviceDeployments![0]!;
      return done(d) ? d : undefined;
    },
    timeoutMs,
    50,
  );
}

/** The identity of the task answering a request through the listener (`test` sends the test rule's header). */
export async function identity(url: string, test = false): Promise<string> {
  const res = await fetch(`${url}/who`, { headers: test ? { 'x-test': '1' } : {} });
  if (res.status !== 200) return `HTTP ${res.status}`;
  return ((await res.json()) as { identity: string }).identity;
}

/** Sends requests through the listener until stopped; counts answers by identity and failures. */
export function probe(url: string): { stop(): Promise<{ failures: number; seen: Map<string, number> }> } {
  let running = true;
  const seen = new Map<string, number>();
  let failures = 0;
  const loop = (async () => {
    while (running) {
      try {
        const who = await identity(url);
        if (who.startsWith('HTTP')) failures++;
        else seen.set(who, (seen.get(who) ?? 0) + 1);
      } catch {
        failures++;
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { failures, seen };
    },
  };
}
