import type { Elb } from './elb';
import type { WeightedTargetGroup } from '../contract';
import type { ListenerRule, LoadBalancer, Listener, RuleCondition, Target, TargetGroup } from './model';

/** A load balancer as DescribeLoadBalancers answers it. */
export function loadBalancerView(lb: LoadBalancer, region: string): Record<string, unknown> {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
    CreatedTime: lb.createdTime,
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: 'active' },
    Type: lb.type,
    AvailabilityZones: lb.subnets.map((subnet, i) => ({ ZoneName: `${region}${'abcdef'[i % 6]}`, SubnetId: subnet })),
    SecurityGroups: lb.type === 'application' ? lb.securityGroups : undefined,
    IpAddressType: lb.ipAddressType,
  };
}

/** A target group as DescribeTargetGroups answers it. */
export function targetGroupView(tg: TargetGroup, elb: Elb): Record<string, unknown> {
  const hc = tg.healthCheck;
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: hc.protocol,
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    HealthCheckPath: hc.path,
    Matcher: { HttpCode: hc.matcher },
    LoadBalancerArns: elb.loadBalancersOf(tg.arn),
    TargetType: tg.targetType,
    ProtocolVersion: tg.protocolVersion,
    IpAddressType: 'ipv4',
  };
}

/** A forward action as ELBv2 answers it: the simple form echoes `TargetGroupArn` too, as AWS does. */
export function forwardActionView(forward: WeightedTargetGroup[], simple: boolean): Record<string, unknown> {
  const forwardConfig = {
    TargetGroups: forward.map((f) => ({ TargetGroupArn: f.targetGroupArn, Weight: f.weight })),
    TargetGroupStickinessConfig: { Enabled: false },
  };
  return simple && forward.length === 1
    ? { Type: 'forward', TargetGroupArn: forward[0]!.targetGroupArn, ForwardConfig: forwardConfig }
    : { Type: 'forward', ForwardConfig: forwardConfig };
}

/** A listener as DescribeListeners answers it. */
export function listenerView(listener: Listener): Record<string, unknown> {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol,
    DefaultActions: [forwardActionView(listener.forward, listener.simpleForward)],
  };
}

/** A rule condition as DescribeRules answers it (path and host conditions also in the legacy `Values`). */
export function conditionView(c: RuleCondition): Record<string, unknown> {
  switch (c.field) {
    case 'path-pattern':
      return { Field: c.field, Values: c.values, PathPatternConfig: { Values: c.values } };
    case 'host-header':
      return { Field: c.field, Values: c.values, HostHeaderConfig: { Values: c.values } };
    case 'http-request-method':
      return { Field: c.field, HttpRequestMethodConfig: { Values: c.values } };
    case 'http-header':
      return { Field: c.field, HttpHeaderConfig: { HttpHeaderName: c.headerName, Values: c.values } };
    case 'query-string':
      return { Field: c.field, QueryStringConfig: { Values: c.pairs.map((p) => ({ Key: p.key, Value: p.value })) } };
  }
}

/** A rule as DescribeRules answers it; the default rule is the listener's default action. */
export function ruleView(listener: Listener, rule: ListenerRule | undefined): Record<string, unknown> {
  if (!rule)
    return {
      RuleArn: listener.defaultRuleArn,
      Priority: 'default',
      Conditions: [],
      Actions: [forwardActionView(listener.forward, listener.simpleForward)],
      IsDefault: true,
    };
  return {
    RuleArn: rule.arn,
    Priority: String(rule.priority),
    Conditions: rule.conditions.map(conditionView),
    Actions: [forwardActionView(rule.forward, rule.simpleForward)],
    IsDefault: false,
  };
}

/** One entry of DescribeTargetHealth. */
export function targetHealthView(tg: TargetGroup, target: Target): Record<string, unknown> {
  const port = tg.healthCheck.port === 'traffic-port' ? String(target.port) : tg.healthCheck.port;
  return {
    Target: { Id: target.id, Port: target.port },
    HealthCheckPort: port,
    TargetHealth: {
      State: target.state,
      Reason: target.state === 'healthy' ? undefined : target.reason,
      Description: target.state === 'healthy' ? undefined : target.description,
    },
  };
}

/** DescribeTargetHealth for a target that is not registered. */
export function notRegisteredView(id: string, port: number): Record<string, unknown> {
  return {
    Target: { Id: id, Port: port },
    HealthCheckPort: String(port),
    TargetHealth: {
      State: 'unused',
      Reason: 'Target.NotRegistered',
      Description: 'Target is not registered to the target group',
    },
  };
}
