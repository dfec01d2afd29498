import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DuplicateListenerException,
  DuplicateLoadBalancerNameException,
  DuplicateTargetGroupNameException,
  ListenerNotFoundException,
  LoadBalancerNotFoundException,
  ModifyListenerCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  TargetGroupNotFoundException,
  paginateDescribeTargetGroups,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import { sdkClients } from '../test-support';

let cloud: LocalCloud;
let elb: ElasticLoadBalancingV2Client;
let lbArn: string;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, listenerPortOffset: 20000 });
  elb = sdkClients(cloud.endpoint, 'eu-central-1').elb;
  lbArn = (
    await elb.send(
      new CreateLoadBalancerCommand({
        Name: 'conformance',
        Subnets: ['subnet-a', 'subnet-b'],
        SecurityGroups: ['sg-1'],
      }),
    )
  ).LoadBalancers![0]!.LoadBalancerArn!;
});
afterAll(async () => {
  elb?.destroy();
  await cloud?.close();
});

const tg = async (name: string, extra: Record<string, unknown> = {}) =>
  (
    await elb.send(
      new CreateTargetGroupCommand({
        Name: name,
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: 'vpc-1',
        TargetType: 'ip',
        HealthCheckPath: '/health',
        ...extra,
      }),
    )
  ).TargetGroups![0]!;

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

describe('load balancers', () => {
  it('creates with AWS-shaped ARNs and DNS names, idempotently for the same settings', async () => {
    const [lb] = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }))).LoadBalancers!;
    expect(lb!.LoadBalancerArn).toMatch(
      /^arn:aws:elasticloadbalancing:eu-central-1:000000000000:loadbalancer\/app\/conformance\/[0-9a-f]{16}$/,
    );
    expect(lb).toMatchObject({
      LoadBalancerName: 'conformance',
      Type: 'application',
      Scheme: 'internet-facing',
      State: { Code: 'active' },
      SecurityGroups: ['sg-1'],
    });
    expect(lb!.DNSName).toMatch(/^conformance-\d+\.eu-central-1\.elb\.amazonaws\.com$/);
    expect(lb!.CreatedTime).toBeInstanceOf(Date);
    expect(lb!.AvailabilityZones?.map((z) => z.SubnetId)).toEqual(['subnet-a', 'subnet-b']);
    const again = await elb.send(new CreateLoadBalancerCommand({ Name: 'conformance', Subnets: ['subnet-a'] }));
    expect(again.LoadBalancers![0]!.LoadBalancerArn).toBe(lbArn);
  });

  it('refuses the same name with different settings (DuplicateLoadBalancerNameException)', async () => {
    const e = await rejection(
      elb.send(new CreateLoadBalancerCommand({ Name: 'conformance', Scheme: 'internal', Subnets: ['subnet-a'] })),
    );
    expect(e).toBeInstanceOf(DuplicateLoadBalancerNameException);
    expect(e.$metadata?.httpStatusCode).toBe(400);
  });

  it('answers unknown load balancers with LoadBalancerNotFoundException', async () => {
    const e = await rejection(elb.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })));
    expect(e).toBeInstanceOf(LoadBalancerNotFoundException);
    expect(e.message).toBe("Load balancers '[nope]' not found");
  });

  it('answers a missing required parameter with ValidationError', async () => {
    const e = await rejection(elb.send(new CreateLoadBalancerCommand({} as never)));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toBe(
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('target groups', () => {
  it('creates with AWS defaults and reports attributes; modifies the deregistration delay', async () => {
    const group = await tg('defaults');
    expect(group.TargetGroupArn).toMatch(
      /^arn:aws:elasticloadbalancing:eu-central-1:000000000000:targetgroup\/defaults\/[0-9a-f]{16}$/,
    );
    expect(group).toMatchObject({
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
      HealthCheckPort: 'traffic-port',
      HealthCheckEnabled: true,
    });
    const attrs = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: group.TargetGroupArn }));
    expect(attrs.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '300' });
    const modified = await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: group.TargetGroupArn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }],
      }),
    );
    expect(modified.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '5' });
    const bad = await rejection(
      elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: group.TargetGroupArn,
          Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '9999' }],
        }),
      ),
    );
    expect(bad.name).toBe('ValidationError');
  });

  it('validates health-check settings like AWS (interval >= 5 s unless started with fast checks)', async () => {
    const e = await rejection(tg('too-fast', { HealthCheckIntervalSeconds: 1 }));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toContain('greater than or equal to 5');
    const t = await rejection(tg('timeout-eq', { HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 5 }));
    expect(t.message).toBe("Health check timeout '5' must be smaller than the interval '5'");
  });

  it('refuses a duplicate name with different settings and finds nothing for unknown ARNs', async () => {
    await tg('dup');
    expect(await rejection(tg('dup', { Port: 9090 }))).toBeInstanceOf(DuplicateTargetGroupNameException);
    const e = await rejection(
      elb.send(
        new DescribeTargetGroupsCommand({
          TargetGroupArns: ['arn:aws:elasticloadbalancing:eu-central-1:000000000000:targetgroup/x/0000000000000000'],
        }),
      ),
    );
    expect(e).toBeInstanceOf(TargetGroupNotFoundException);
  });

  it('pages with Marker/NextMarker/PageSize', async () => {
    for (const n of [1, 2, 3, 4, 5]) await tg(`page-${n}`);
    const first = await elb.send(new DescribeTargetGroupsCommand({ PageSize: 2 }));
    expect(first.TargetGroups).toHaveLength(2);
    expect(first.NextMarker).toBeTruthy();
    const names: string[] = [];
    for await (const page of paginateDescribeTargetGroups({ client: elb, pageSize: 2 }, {}))
      names.push(...page.TargetGroups!.map((g) => g.TargetGroupName!));
    expect(names.filter((n) => n.startsWith('page-'))).toEqual(['page-1', 'page-2', 'page-3', 'page-4', 'page-5']);
    expect(new Set(names).size).toBe(names.length);
    const bad = await rejection(elb.send(new DescribeTargetGroupsCommand({ Marker: 'garbage' })));
    expect(bad.name).toBe('ValidationError');
  });

  it('registers and deregisters targets; reports unused targets of a group no listener uses', async () => {
    const group = await tg('targets');
    await elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: group.TargetGroupArn,
        Targets: [{ Id: '127.0.0.1', Port: 1 }, { Id: '127.0.0.1' }],
      }),
    );
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }));
    expect(
      health.TargetHealthDescriptions!.map((d) => [d.Target!.Port, d.TargetHealth!.State, d.TargetHealth!.Reason]),
    ).toEqual([
      [1, 'unused', 'Target.NotInUse'],
      [8080, 'unused', 'Target.NotInUse'],
    ]);
    const asked = await elb.send(
      new DescribeTargetHealthCommand({
        TargetGroupArn: group.TargetGroupArn,
        Targets: [{ Id: '127.0.0.1', Port: 2 }],
      }),
    );
    expect(asked.TargetHealthDescriptions![0]!.TargetHealth).toMatchObject({
      State: 'unused',
      Reason: 'Target.NotRegistered',
    });
    await elb.send(
      new DeregisterTargetsCommand({ TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: 1 }] }),
    );
    const after = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }));
    expect(after.TargetHealthDescriptions!.map((d) => d.Target!.Port)).toEqual([8080]);
  });
});

describe('listeners', () => {
  it('creates, describes and modifies with weighted forward configs', async () => {
    const blue = await tg('blue');
    const green = await tg('green');
    const created = await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: blue.TargetGroupArn }],
      }),
    );
    const listener = created.Listeners![0]!;
    expect(listener.ListenerArn).toMatch(
      /^arn:aws:elasticloadbalancing:eu-central-1:000000000000:listener\/app\/conformance\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
    );
    expect(listener.DefaultActions![0]).toMatchObject({
      Type: 'forward',
      TargetGroupArn: blue.TargetGroupArn,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue.TargetGroupArn, Weight: 1 }] },
    });
    expect(cloud.listenerUrl(listener.ListenerArn!)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    await elb.send(
      new ModifyListenerCommand({
        ListenerArn: listener.ListenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blue.TargetGroupArn, Weight: 90 },
                { TargetGroupArn: green.TargetGroupArn, Weight: 10 },
              ],
            },
          },
        ],
      }),
    );
    const described = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    expect(described.Listeners![0]!.DefaultActions![0]!.TargetGroupArn).toBeUndefined();
    expect(described.Listeners![0]!.DefaultActions![0]!.ForwardConfig!.TargetGroups).toEqual([
      { TargetGroupArn: blue.TargetGroupArn, Weight: 90 },
      { TargetGroupArn: green.TargetGroupArn, Weight: 10 },
    ]);
    const groups = await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }));
    expect(groups.TargetGroups!.map((g) => g.TargetGroupName).sort()).toEqual(['blue', 'green']);
    expect(groups.TargetGroups![0]!.LoadBalancerArns).toEqual([lbArn]);
    expect(cloud.elb.getListener(listener.ListenerArn!)).toEqual({
      listenerArn: listener.ListenerArn,
      port: 80,
      targetGroups: [
        { targetGroupArn: blue.TargetGroupArn, weight: 90 },
        { targetGroupArn: green.TargetGroupArn, weight: 10 },
      ],
    });

    const dup = await rejection(
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lbArn,
          Port: 80,
          Protocol: 'HTTP',
          DefaultActions: [{ Type: 'forward', TargetGroupArn: green.TargetGroupArn }],
        }),
      ),
    );
    expect(dup).toBeInstanceOf(DuplicateListenerException);
  });

  it('answers unknown listeners and target groups with their typed exceptions', async () => {
    const unknownListener = `${lbArn.replace(':loadbalancer/', ':listener/')}/0000000000000000`;
    expect(await rejection(elb.send(new DescribeListenersCommand({ ListenerArns: [unknownListener] })))).toBeInstanceOf(
      ListenerNotFoundException,
    );
    expect(
      await rejection(elb.send(new ModifyListenerCommand({ ListenerArn: unknownListener, DefaultActions: [] }))),
    ).toBeInstanceOf(ListenerNotFoundException);
    const e = await rejection(
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lbArn,
          Port: 81,
          Protocol: 'HTTP',
          DefaultActions: [
            {
              Type: 'forward',
              TargetGroupArn: 'arn:aws:elasticloadbalancing:eu-central-1:000000000000:targetgroup/x/0000000000000000',
            },
          ],
        }),
      ),
    );
    expect(e).toBeInstanceOf(TargetGroupNotFoundException);
    const noLb = await rejection(elb.send(new DescribeListenersCommand({})));
    expect(noLb.name).toBe('ValidationError');
  });
});
