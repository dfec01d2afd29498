import { AwsError, type WeightedTargetGroup } from '../contract';
import { digitId, hexId } from '../ids';
import { currentRegion } from '../server/request-context';
import type { QueryOperationHandler } from '../server/query-protocol';
import type { Elb } from './elb';
import { listenerView, loadBalancerView } from './elb-views';
import type { LoadBalancer } from './model';
import { QueryInput, missing, pageOf } from './query-input';

const LB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/**
 * Reads `DefaultActions` of a listener of `lb` (or a rule's `Actions`): one forward action, either
 * `TargetGroupArn` or `ForwardConfig.TargetGroups` with weights, to target groups in the load balancer's VPC.
 */
export function readForwardAction(
  elb: Elb,
  lb: LoadBalancer,
  q: QueryInput,
  key: 'DefaultActions' | 'Actions' = 'DefaultActions',
): { forward: WeightedTargetGroup[]; simple: boolean } {
  const actions = q.objList(key);
  if (!actions) throw missing(key);
  if (actions.length !== 1)
    throw new AwsError('TooManyActions', `local-cloud supports exactly one action; found ${actions.length}`);
  const action = actions[0]!;
  const type = action.reqStr('Type');
  if (type !== 'forward')
    throw new AwsError(
      'InvalidLoadBalancerAction',
      `Action type '${type}' is not supported by local-cloud (forward only)`,
    );
  const single = action.str('TargetGroupArn');
  const config = action.obj('ForwardConfig')?.objList('TargetGroups');
  if (single !== undefined && config?.length) {
    const configArns = config.map((c) => c.str('TargetGroupArn'));
    if (configArns.length !== 1 || configArns[0] !== single)
      throw new AwsError(
        'ValidationError',
        'You cannot specify both a target group ARN and a forward config with different target groups',
      );
  }
  let forward: WeightedTargetGroup[];
  let simple = false;
  if (config?.length) {
    forward = config.map((c) => ({ targetGroupArn: c.reqStr('TargetGroupArn'), weight: c.int('Weight', 0, 999) ?? 1 }));
  } else if (single !== undefined) {
    forward = [{ targetGroupArn: single, weight: 1 }];
    simple = true;
  } else {
    throw new AwsError('ValidationError', 'A target group ARN must be specified for a forward action');
  }
  if (new Set(forward.map((f) => f.targetGroupArn)).size !== forward.length)
    throw new AwsError('ValidationError', 'A target group can be specified only once in a forward action');
  elb.subnetVpcs.checkForward(
    lb,
    forward.map((f) => elb.targetGroup(f.targetGroupArn)),
    elb.loadBalancers.values(),
  );
  return { forward, simple };
}

/** The load-balancer and listener operations of ELBv2. */
export function loadBalancerOperations(elb: Elb, defaultRegion: string): Record<string, QueryOperationHandler> {
  return {
    CreateLoadBalancer(params) {
      const q = new QueryInput(params);
      const name = q.reqStr('Name');
      if (!LB_NAME.test(name) || name.startsWith('internal-'))
        throw new AwsError(
          'ValidationError',
          `Load balancer name '${name}' can have a maximum of 32 characters, can contain only alphanumeric characters or hyphens, must not begin or end with a hyphen, and must not begin with 'internal-'`,
        );
      const type = q.str('Type') ?? 'application';
      if (type !== 'application' && type !== 'network')
        throw new AwsError('ValidationError', `Load balancer type '${type}' is not supported by local-cloud`);
      const scheme = q.str('Scheme') ?? 'internet-facing';
      const subnets = q.strList('Subnets') ?? (q.objList('SubnetMappings') ?? []).map((m) => m.reqStr('SubnetId'));
      const existing = [...elb.loadBalancers.values()].find((lb) => lb.name === name);
      if (existing) {
        if (existing.type !== type || existing.scheme !== scheme)
          throw new AwsError(
            'DuplicateLoadBalancerName',
            `A load balancer with the same name '${name}' exists, but with different settings`,
          );
        return { LoadBalancers: [loadBalancerView(existing, currentRegion(defaultRegion))] };
      }
      const region = currentRegion(defaultRegion);
      const vpc = elb.subnetVpcs.vpcFor(subnets);
      const id = hexId(16);
      const lb: LoadBalancer = {
        arn: `${elb.arnPrefix(region)}:loadbalancer/${type === 'network' ? 'net' : 'app'}/${name}/${id}`,
        name,
        type,
        scheme,
        dnsName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${digitId(10)}.${region}.elb.amazonaws.com`,
        vpcId: vpc.vpcId,
        subnets,
        securityGroups: q.strList('SecurityGroups') ?? [],
        ipAddressType: q.str('IpAddressType') ?? 'ipv4',
        createdTime: new Date(),
      };
      elb.loadBalancers.set(lb.arn, lb);
      elb.subnetVpcs.add(lb, vpc.known);
      return { LoadBalancers: [loadBalancerView(lb, region)] };
    },

    DescribeLoadBalancers(params) {
      const q = new QueryInput(params);
      const arns = q.strList('LoadBalancerArns');
      const names = q.strList('Names');
      let lbs = [...elb.loadBalancers.values()];
      if (arns?.length) {
        const unknown = arns.filter((a) => !elb.loadBalancers.has(a));
        if (unknown.length)
          throw new AwsError('LoadBalancerNotFound', `Load balancers '[${unknown.join(', ')}]' not found`);
        lbs = arns.map((a) => elb.loadBalancers.get(a)!);
      } else if (names?.length) {
        const unknown = names.filter((n) => !lbs.some((lb) => lb.name === n));
        if (unknown.length)
          throw new AwsError('LoadBalancerNotFound', `Load balancers '[${unknown.join(', ')}]' not found`);
        lbs = lbs.filter((lb) => names.includes(lb.name));
      }
      const { page, nextMarker } = pageOf(lbs, q);
      const region = currentRegion(defaultRegion);
      return { LoadBalancers: page.map((lb) => loadBalancerView(lb, region)), NextMarker: nextMarker };
    },

    async DeleteLoadBalancer(params) {
      const arn = new QueryInput(params).reqStr('LoadBalancerArn');
      if (!elb.loadBalancers.has(arn)) return {};
      for (const listener of [...elb.listeners.values()])
        if (listener.loadBalancerArn === arn) await elb.removeListener(listener.arn);
      elb.loadBalancers.delete(arn);
      return {};
    },

    async CreateListener(params) {
      const q = new QueryInput(params);
      const lb = elb.loadBalancer(q.reqStr('LoadBalancerArn'));
      const port = q.int('Port', 1, 65535);
      if (port === undefined) throw new AwsError('ValidationError', 'A listener port must be specified');
      const protocol = q.str('Protocol') ?? 'HTTP';
      if (protocol !== 'HTTP')
        throw new AwsError('UnsupportedProtocol', `Protocol '${protocol}' is not supported by local-cloud (HTTP only)`);
      const { forward, simple } = readForwardAction(elb, lb, q);
      const same = [...elb.listeners.values()].find((l) => l.loadBalancerArn === lb.arn && l.port === port);
      if (same) {
        if (JSON.stringify(same.forward) === JSON.stringify(forward)) return { Listeners: [listenerView(same)] };
        throw new AwsError(
          'DuplicateListener',
          `A listener already exists on this port for this load balancer '${lb.arn}'`,
        );
      }
      const listener = await elb.addListener(currentRegion(defaultRegion), lb, port, protocol, forward, simple);
      return { Listeners: [listenerView(listener)] };
    },

    DescribeListeners(params) {
      const q = new QueryInput(params);
      const arns = q.strList('ListenerArns');
      const lbArn = q.str('LoadBalancerArn');
      let listeners;
      if (arns?.length) {
        if (arns.some((a) => !elb.listeners.has(a)))
          throw new AwsError('ListenerNotFound', 'One or more listeners not found');
        listeners = arns.map((a) => elb.listeners.get(a)!);
      } else if (lbArn !== undefined) {
        elb.loadBalancer(lbArn);
        listeners = [...elb.listeners.values()].filter((l) => l.loadBalancerArn === lbArn);
      } else {
        throw new AwsError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
      }
      const { page, nextMarker } = pageOf(listeners, q);
      return { Listeners: page.map(listenerView), NextMarker: nextMarker };
    },

    async ModifyListener(params) {
      const q = new QueryInput(params);
      const listener = elb.listener(q.reqStr('ListenerArn'));
      const port = q.int('Port', 1, 65535);
      if (port !== undefined && port !== listener.port)
        throw new AwsError(
          'OperationNotPermitted',
          'local-cloud does not move a listener to another port; delete it and create another',
        );
      if (q.params.DefaultActions !== undefined) {
        const { forward, simple } = readForwardAction(elb, elb.loadBalancer(listener.loadBalancerArn), q);
        elb.setForward(listener, forward, simple);
      }
      return { Listeners: [listenerView(listener)] };
    },

    async DeleteListener(params) {
      await elb.removeListener(new QueryInput(params).reqStr('ListenerArn'));
      return {};
    },
  };
}
