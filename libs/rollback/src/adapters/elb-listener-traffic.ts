import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsCall, listenerBaseUrl } from '@shipgate/ecs-deploy/aws';
import { ShipgateError } from '@shipgate/model';
import type { ListenerTrafficPort, ListenerWeight } from '../ports';

/** Which load balancer and listener ports carry a service's production and test traffic. */
export interface ListenerTrafficOptions {
  loadBalancer: string;
  productionPort: number;
  testPort: number;
  /** The base URL of a listener; default `http(s)://<load balancer DNS name>:<port>`, by the listener's protocol. */
  urlFor?: (listener: { dnsName: string; port: number; listenerArn: string; protocol: string }) => string;
}

/** The production listener's weights and the listeners' URLs, read from Elastic Load Balancing v2. */
export function elbListenerTraffic(
  client: ElasticLoadBalancingV2Client,
  options: ListenerTrafficOptions,
): ListenerTrafficPort {
  const names = new Map<string, string>();
  let found: Promise<{ dnsName: string; listeners: Listener[] }> | undefined;
  const balancer = () =>
    (found ??= (async () => {
      const lbs = await send(`DescribeLoadBalancers ${options.loadBalancer}`, () =>
        client.send(new DescribeLoadBalancersCommand({ Names: [options.loadBalancer] })),
      );
      const lb = lbs.LoadBalancers?.[0];
      if (!lb?.LoadBalancerArn)
        throw new ShipgateError('AWS_NOT_FOUND', `expected a load balancer named ${options.loadBalancer}, found none`, {
          hint: 'Run `shipgate bootstrap` for this environment.',
        });
      const listeners = await send(`DescribeListeners ${options.loadBalancer}`, () =>
        client.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn })),
      );
      return { dnsName: lb.DNSName ?? '127.0.0.1', listeners: listeners.Listeners ?? [] };
    })().catch((error) => {
      found = undefined;
      throw error;
    }));
  const listenerOn = async (port: number) => {
    const { dnsName, listeners } = await balancer();
    const listener = listeners.find((l) => l.Port === port);
    if (!listener?.ListenerArn)
      throw new ShipgateError(
        'AWS_NOT_FOUND',
        `expected a listener on port ${port} of ${options.loadBalancer}, found ports ${listeners.map((l) => l.Port).join(', ') || 'none'}`,
        { hint: 'Check the listener ports in shipgate.yaml, or run `shipgate bootstrap`.' },
      );
    return { dnsName, listener };
  };
  const nameOf = async (arn: string) => {
    if (!names.has(arn)) {
      const groups = await send('DescribeTargetGroups', () =>
        client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
      );
      names.set(arn, groups.TargetGroups?.[0]?.TargetGroupName ?? arn);
    }
    return names.get(arn)!;
  };
  return {
    async productionWeights() {
      // The listener's ARN never changes; its rules (the default one included) do during a rollback, so they are
      // read fresh every time, in one call. ECS-native blue/green shifts a rule that matches every path;
      // CodeDeploy the default action.
      const { listener } = await listenerOn(options.productionPort);
      const rules = (
        await send('DescribeRules', () => client.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn })))
      ).Rules;
      const forward = forwardAction(
        (everyPathRule(rules ?? []) ?? rules?.find((r) => r.IsDefault))?.Actions ?? listener.DefaultActions,
      );
      const weighted = forward?.ForwardConfig?.TargetGroups?.length
        ? forward.ForwardConfig.TargetGroups.map((g) => ({ arn: g.TargetGroupArn!, weight: g.Weight ?? 1 }))
        : forward?.TargetGroupArn
          ? [{ arn: forward.TargetGroupArn, weight: 1 }]
          : [];
      const weights: ListenerWeight[] = [];
      for (const w of weighted) weights.push({ targetGroup: await nameOf(w.arn), weight: w.weight });
      return weights;
    },
    async listenerUrls() {
      const url = async (port: number) => {
        const { dnsName, listener } = await listenerOn(port);
        const protocol = listener.Protocol ?? 'HTTP';
        return options.urlFor
          ? options.urlFor({ dnsName, port, listenerArn: listener.ListenerArn!, protocol })
          : listenerBaseUrl({ protocol, dnsName, port });
      };
      return { production: await url(options.productionPort), test: await url(options.testPort) };
    },
  };
}

/** The forward action among a rule's (or listener's) actions. */
function forwardAction(actions: Action[] | undefined): Action | undefined {
  return actions?.find((a) => a.Type === 'forward');
}

/** The first rule by priority that every request matches (a path pattern of `/*` or `*` and nothing else). */
function everyPathRule(rules: Rule[]): Rule | undefined {
  const catchAll = (r: Rule) =>
    !r.IsDefault &&
    (r.Conditions ?? []).length > 0 &&
    (r.Conditions ?? []).every(
      (c) =>
        c.Field === 'path-pattern' &&
        (c.PathPatternConfig?.Values ?? c.Values ?? []).some((v) => v === '/*' || v === '*'),
    );
  return rules
    .filter(catchAll)
    .sort((a, b) => Number(a.Priority) - Number(b.Priority))
    .find((r) => forwardAction(r.Actions));
}

/** One ELB call, its AWS exception translated once (by name) as every shipgate adapter does. */
function send<T>(what: string, run: () => Promise<T>): Promise<T> {
  return awsCall(`ELBv2 ${what}`, {}, run);
}
