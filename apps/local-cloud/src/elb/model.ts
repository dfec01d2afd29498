import type { WeightedTargetGroup } from '../contract';
import type { UpstreamPool } from './upstream-pool';

/** AWS's target health states. */
export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused' | 'unavailable';

/** How a target group checks its targets (AWS's fields, seconds as AWS has them). */
export interface HealthCheckConfig {
  enabled: boolean;
  protocol: string;
  /** `traffic-port` or a port number as a string. */
  port: string;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** `200`, `200-299`, `200,202`. */
  matcher: string;
}

/** A registered target and what the load balancer knows of it. */
export interface Target {
  id: string;
  port: number;
  state: TargetState;
  reason: string | undefined;
  description: string | undefined;
  consecutiveOk: number;
  consecutiveFail: number;
  inFlight: number;
  /** Keep-alive connections from the listeners to this target. */
  pool: UpstreamPool;
  /** Stops the health-check loop. */
  stopChecks: (() => void) | undefined;
  /** Resolves when the target has left the group (after draining). */
  removed: Promise<void>;
  markRemoved: () => void;
  drainTimer: NodeJS.Timeout | undefined;
}

/** An Elastic Load Balancing v2 target group. */
export interface TargetGroup {
  arn: string;
  name: string;
  protocol: string;
  port: number;
  vpcId: string;
  targetType: string;
  protocolVersion: string;
  healthCheck: HealthCheckConfig;
  attributes: Map<string, string>;
  targets: Map<string, Target>;
  createdTime: Date;
  roundRobin: number;
}

/** A load balancer (its listeners are separate). */
export interface LoadBalancer {
  arn: string;
  name: string;
  type: string;
  scheme: string;
  dnsName: string;
  vpcId: string;
  subnets: string[];
  securityGroups: string[];
  ipAddressType: string;
  createdTime: Date;
}

/** A listener: a real HTTP server on loopback forwarding by target-group weight. */
export interface Listener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  forward: WeightedTargetGroup[];
  /** Whether the action was given as the simple `TargetGroupArn` form (AWS echoes it back that way). */
  simpleForward: boolean;
  /** Rules other than the default one, in priority order (lowest number first). */
  rules: ListenerRule[];
  /** The ARN of the listener's default rule (DescribeRules reports it; its actions are `forward`). */
  defaultRuleArn: string;
  /** The port local-cloud actually listens on (the requested one when it was free). */
  localPort: number;
  close: () => Promise<void>;
}

/** One condition of a listener rule; every value list matches when any of its values matches. */
export type RuleCondition =
  | { field: 'path-pattern' | 'host-header' | 'http-request-method'; values: string[] }
  | { field: 'http-header'; headerName: string; values: string[] }
  | { field: 'query-string'; pairs: { key: string | undefined; value: string }[] };

/** A listener rule (not the default one): conditions, all of which must match, and a forward action. */
export interface ListenerRule {
  arn: string;
  listenerArn: string;
  priority: number;
  conditions: RuleCondition[];
  forward: WeightedTargetGroup[];
  simpleForward: boolean;
}

/** Key of a target inside its group. */
export function targetKey(id: string, port: number): string {
  return `${id}:${port}`;
}

/** AWS's defaults for an HTTP target group of an Application Load Balancer. */
export function defaultHealthCheck(): HealthCheckConfig {
  return {
    enabled: true,
    protocol: 'HTTP',
    port: 'traffic-port',
    path: '/',
    intervalSeconds: 30,
    timeoutSeconds: 5,
    healthyThreshold: 5,
    unhealthyThreshold: 2,
    matcher: '200',
  };
}

/** Default target group attributes (the ones local-cloud honours and reports). */
export function defaultTargetGroupAttributes(): Map<string, string> {
  return new Map([
    ['deregistration_delay.timeout_seconds', '300'],
    ['stickiness.enabled', 'false'],
    ['stickiness.type', 'lb_cookie'],
    ['load_balancing.algorithm.type', 'round_robin'],
    ['slow_start.duration_seconds', '0'],
  ]);
}
