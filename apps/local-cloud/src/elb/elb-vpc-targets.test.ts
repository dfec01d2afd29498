// #11 item 24: target ids that fit the target group's type, and one VPC per subnet, through the real ELBv2 client.
import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  RegisterTargetsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import { createForwardingListener, sdkClients } from '../test-support';

let cloud: LocalCloud;
let elb: ElasticLoadBalancingV2Client;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, listenerPortOffset: 21000 });
  elb = sdkClients(cloud.endpoint).elb;
});
afterAll(async () => {
  elb?.destroy();
  await cloud?.close();
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
      `${e.name} ${e.$metadata?.httpStatusCode}: ${e.message}`,
  );

async function targetGroup(name: string, vpcId: string, targetType: 'ip' | 'instance' = 'ip') {
  const out = await elb.send(
    new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 8080, VpcId: vpcId, TargetType: targetType }),
  );
  return out.TargetGroups![0]!.TargetGroupArn!;
}

async function loadBalancer(name: string, subnets: string[]) {
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: subnets }))).LoadBalancers![0]!;
  return { arn: lb.LoadBalancerArn!, vpcId: lb.VpcId! };
}

const vpcOf = async (arn: string) =>
  (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))).LoadBalancers![0]!.VpcId;

const forward = (lb: string, port: number, tg: string) => createForwardingListener(elb, lb, port, tg);

describe('RegisterTargets checks ids against the target type (#11.24)', () => {
  it('an ip group refuses an instance id, an instance group an IP address, and nothing of the call is registered', async () => {
    const ip = await targetGroup('reg-ip', 'vpc-0aaaaaaaaaaaaaaaa');
    expect(
      await failure(
        elb.send(
          new RegisterTargetsCommand({
            TargetGroupArn: ip,
            Targets: [
              { Id: '127.0.0.1', Port: 9001 },
              { Id: 'i-0123456789abcdef0', Port: 9002 },
            ],
          }),
        ),
      ),
    ).toBe("ValidationError 400: The IP address 'i-0123456789abcdef0' is not a valid IPv4 address");
    expect((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: ip }))).TargetHealthDescriptions).toEqual(
      [],
    );
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: ip, Targets: [{ Id: '127.0.0.1', Port: 9001 }] }));
    const registered = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: ip }));
    expect(registered.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.Target?.Port])).toEqual([
      ['127.0.0.1', 9001],
    ]);

    const instance = await targetGroup('reg-instance', 'vpc-0aaaaaaaaaaaaaaaa', 'instance');
    expect(
      await failure(elb.send(new RegisterTargetsCommand({ TargetGroupArn: instance, Targets: [{ Id: '10.0.1.7' }] }))),
    ).toBe("ValidationError 400: Instance ID '10.0.1.7' is not valid");
    expect(
      await failure(
        elb.send(new RegisterTargetsCommand({ TargetGroupArn: instance, Targets: [{ Id: 'i-0123456789abcdef0' }] })),
      ),
    ).toMatch(/^InvalidTargetException 400: The following targets are not valid instances: 'i-0123456789abcdef0'/);
  });
});

describe('a subnet belongs to one VPC (#11.24)', () => {
  it('two load balancers in the same subnets are in the same VPC, and the first listener fixes it', async () => {
    const a = await loadBalancer('vpc-a', ['subnet-1a', 'subnet-1b']);
    const b = await loadBalancer('vpc-b', ['subnet-1b', 'subnet-1a']);
    expect(a.vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(b.vpcId).toBe(a.vpcId);

    // A listener ties the load balancer (and the others in its subnets) to its target group's VPC.
    const blue = await targetGroup('vpc-blue', 'vpc-0123456789abcdef0');
    await forward(a.arn, 80, blue);
    expect([await vpcOf(a.arn), await vpcOf(b.arn)]).toEqual(['vpc-0123456789abcdef0', 'vpc-0123456789abcdef0']);
    // A later load balancer in one of those subnets is in that VPC from the start.
    expect((await loadBalancer('vpc-c', ['subnet-1b'])).vpcId).toBe('vpc-0123456789abcdef0');
  });

  it('a listener cannot forward to a target group of another VPC, on create or modify', async () => {
    const lb = await loadBalancer('vpc-d', ['subnet-2a']);
    const mine = await targetGroup('vpc-mine', 'vpc-0000000000000000d');
    const theirs = await targetGroup('vpc-theirs', 'vpc-0000000000000000e');
    const listener = (await forward(lb.arn, 80, mine)).Listeners![0]!.ListenerArn!;
    expect(await failure(forward(lb.arn, 81, theirs))).toBe(
      `InvalidConfigurationRequestException 400: Target group '${theirs}' is in a different VPC than load balancer '${lb.arn}'`,
    );
    expect(
      await failure(
        elb.send(
          new ModifyListenerCommand({
            ListenerArn: listener,
            DefaultActions: [
              {
                Type: 'forward',
                ForwardConfig: {
                  TargetGroups: [
                    { TargetGroupArn: mine, Weight: 1 },
                    { TargetGroupArn: theirs, Weight: 1 },
                  ],
                },
              },
            ],
          }),
        ),
      ),
    ).toMatch(/^InvalidConfigurationRequestException 400: Target group '.*vpc-theirs.*' is in a different VPC/);
    expect(await vpcOf(lb.arn)).toBe('vpc-0000000000000000d');
  });

  it('refuses a load balancer whose subnets are known to be in two VPCs', async () => {
    const one = await loadBalancer('vpc-e', ['subnet-3a']);
    await forward(one.arn, 80, await targetGroup('vpc-e-tg', 'vpc-0000000000000003a'));
    const two = await loadBalancer('vpc-f', ['subnet-3b']);
    await forward(two.arn, 80, await targetGroup('vpc-f-tg', 'vpc-0000000000000003b'));
    expect(
      await failure(elb.send(new CreateLoadBalancerCommand({ Name: 'vpc-g', Subnets: ['subnet-3a', 'subnet-3b'] }))),
    ).toMatch(/^InvalidConfigurationRequestException 400: The subnets 'subnet-3a, subnet-3b' are in different VPCs/);
  });
});
