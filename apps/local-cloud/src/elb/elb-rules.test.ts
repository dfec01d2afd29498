import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  ModifyRuleCommand,
  OperationNotPermittedException,
  PriorityInUseException,
  RegisterTargetsCommand,
  ResourceInUseException,
  RuleNotFoundException,
  SetRulePrioritiesCommand,
  TargetGroupNotFoundException,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import { createFastTargetGroup, sdkClients, waitFor } from '../test-support';
import { wildcardRegExp } from './rule-match';

let cloud: LocalCloud;
let elb: ElasticLoadBalancingV2Client;
let listenerArn: string;
let url: string;
const tgs: Record<'blue' | 'green' | 'spare', string> = { blue: '', green: '', spare: '' };
const servers: Server[] = [];

async function target(name: string): Promise<number> {
  const server = createServer((req, res) => res.end(req.url === '/health' ? '' : name));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

const forward = (weights: [string, number][]) => [
  {
    Type: 'forward' as const,
    ForwardConfig: { TargetGroups: weights.map(([arn, w]) => ({ TargetGroupArn: arn, Weight: w })) },
  },
];

async function get(path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url + path, { headers });
  return res.text();
}

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, allowFastHealthChecks: true, listenerPortOffset: 22000, seed: 3 });
  elb = sdkClients(cloud.endpoint).elb;
  const lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'rules', Subnets: ['subnet-r'] })))
    .LoadBalancers![0]!.LoadBalancerArn!;
  for (const name of ['blue', 'green', 'spare'] as const) {
    tgs[name] = await createFastTargetGroup(elb, `rules-${name}`, { Port: 80 });
    await elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: tgs[name],
        Targets: [{ Id: '127.0.0.1', Port: await target(name) }],
      }),
    );
  }
  const l = await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: forward([[tgs.blue, 1]]),
    }),
  );
  listenerArn = l.Listeners![0]!.ListenerArn!;
  url = cloud.listenerUrl(listenerArn)!;
});
afterAll(async () => {
  elb?.destroy();
  await cloud?.close();
  for (const s of servers) s.close();
});

describe('ELBv2 listener rules through the SDK', () => {
  let pathRule: string;
  let headerRule: string;

  it('CreateRule answers the rule; DescribeRules lists rules by priority, then the default rule', async () => {
    const created = await elb.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 20,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: forward([[tgs.green, 1]]),
      }),
    );
    const rule = created.Rules![0]!;
    pathRule = rule.RuleArn!;
    expect(pathRule).toMatch(/:listener-rule\/app\/rules\/[0-9a-f]+\/[0-9a-f]+\/[0-9a-f]+$/);
    expect(rule).toMatchObject({
      Priority: '20',
      IsDefault: false,
      Conditions: [{ Field: 'path-pattern', Values: ['/api/*'], PathPatternConfig: { Values: ['/api/*'] } }],
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgs.green, Weight: 1 }] } }],
    });
    headerRule = (
      await elb.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: 10,
          Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['y*'] } }],
          Actions: [{ Type: 'forward', TargetGroupArn: tgs.spare }],
        }),
      )
    ).Rules![0]!.RuleArn!;
    const described = (await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules!;
    expect(described.map((r) => r.Priority)).toEqual(['10', '20', 'default']);
    expect(described[2]).toMatchObject({ IsDefault: true, Conditions: [] });
    expect(described[0]!.Actions![0]!.TargetGroupArn).toBe(tgs.spare);
  });

  it('routes each request by the first matching rule, then the default action', async () => {
    // Each group's target turns healthy on its own health checks.
    await waitFor('targets healthy', async () => {
      const answers = [await get('/x'), await get('/api/a'), await get('/', { 'x-canary': 'y' })];
      return answers.join() === 'blue,green,spare' ? true : undefined;
    });
    expect(await get('/api/orders')).toBe('green');
    expect(await get('/api/orders', { 'x-canary': 'YES' })).toBe('spare');
    expect(await get('/other', { 'x-canary': 'no' })).toBe('blue');
    expect(await get('/apix')).toBe('blue');
  });

  it('ModifyRule changes weights and conditions; requests follow at once', async () => {
    await elb.send(
      new ModifyRuleCommand({
        RuleArn: pathRule,
        Actions: forward([
          [tgs.green, 0],
          [tgs.blue, 1],
        ]),
      }),
    );
    expect(await get('/api/a')).toBe('blue');
    await elb.send(
      new ModifyRuleCommand({
        RuleArn: pathRule,
        Conditions: [{ Field: 'path-pattern', Values: ['/v?/*'] }],
        Actions: forward([
          [tgs.green, 100],
          [tgs.blue, 0],
        ]),
      }),
    );
    expect(await get('/v2/a')).toBe('green');
    expect(await get('/api/a')).toBe('blue');
  });

  it('SetRulePriorities swaps priorities; clashes are PriorityInUse', async () => {
    await expect(
      elb.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: 10,
          Conditions: [{ Field: 'path-pattern', Values: ['/z'] }],
          Actions: forward([[tgs.blue, 1]]),
        }),
      ),
    ).rejects.toBeInstanceOf(PriorityInUseException);
    await expect(
      elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: pathRule, Priority: 10 }] })),
    ).rejects.toBeInstanceOf(PriorityInUseException);
    const swapped = await elb.send(
      new SetRulePrioritiesCommand({
        RulePriorities: [
          { RuleArn: pathRule, Priority: 10 },
          { RuleArn: headerRule, Priority: 20 },
        ],
      }),
    );
    expect(swapped.Rules!.map((r) => r.Priority)).toEqual(['10', '20']);
    // The path rule now comes first, so a canary header on /v1/… no longer reaches the header rule's group.
    expect(await get('/v1/a', { 'x-canary': 'yes' })).toBe('green');
  });

  it('answers AWS errors: unknown rule, default rule, unknown target group, group in use', async () => {
    const unknown = listenerArn.replace(':listener/', ':listener-rule/') + '/0123456789abcdef';
    await expect(elb.send(new DescribeRulesCommand({ RuleArns: [unknown] }))).rejects.toBeInstanceOf(
      RuleNotFoundException,
    );
    const defaultRule = (await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules!.at(
      -1,
    )!.RuleArn!;
    await expect(elb.send(new DeleteRuleCommand({ RuleArn: defaultRule }))).rejects.toBeInstanceOf(
      OperationNotPermittedException,
    );
    await expect(
      elb.send(
        new ModifyRuleCommand({
          RuleArn: pathRule,
          Actions: forward([[tgs.green.replace(/\/[0-9a-f]+$/, '/0000000000000000'), 1]]),
        }),
      ),
    ).rejects.toBeInstanceOf(TargetGroupNotFoundException);
    await expect(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgs.spare }))).rejects.toBeInstanceOf(
      ResourceInUseException,
    );
  });

  it('ModifyRule on the default rule changes the listener default action; DeleteRule removes a rule', async () => {
    const defaultRule = (await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules!.at(
      -1,
    )!.RuleArn!;
    await elb.send(new ModifyRuleCommand({ RuleArn: defaultRule, Actions: forward([[tgs.spare, 1]]) }));
    expect(await get('/nothing')).toBe('spare');
    await elb.send(new DeleteRuleCommand({ RuleArn: pathRule }));
    expect(await get('/v2/a')).toBe('spare');
    await expect(elb.send(new DeleteRuleCommand({ RuleArn: pathRule }))).rejects.toBeInstanceOf(RuleNotFoundException);
  });
});

describe('wildcard patterns', () => {
  it('match as ALB patterns do: * any run, ? one character, case per field', () => {
    expect(wildcardRegExp('/api/*', false).test('/api/')).toBe(true);
    expect(wildcardRegExp('/a?c', false).test('/abc')).toBe(true);
    expect(wildcardRegExp('/a?c', false).test('/ac')).toBe(false);
    expect(wildcardRegExp('/API', false).test('/api')).toBe(false);
    expect(wildcardRegExp('*.EXAMPLE.com', true).test('www.example.com')).toBe(true);
    expect(wildcardRegExp('a.b', false).test('axb')).toBe(false);
  });
});
