import { AwsError } from '../contract';
import { hexId } from '../ids';
import { currentRegion } from '../server/request-context';
import type { QueryOperationHandler } from '../server/query-protocol';
import type { Elb } from './elb';
import { notRegisteredView, targetGroupView, targetHealthView } from './elb-views';
import {
  defaultHealthCheck,
  defaultTargetGroupAttributes,
  targetKey,
  type HealthCheckConfig,
  type TargetGroup,
} from './model';
import { checkTargetId } from './target-ids';
import { QueryInput, missing, pageOf } from './query-input';
import { isValidMatcher } from './target-health';

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/** The target-group operations of ELBv2. `fastHealthChecks` lets intervals and thresholds go below AWS's minimums. */
export function targetGroupOperations(
  elb: Elb,
  defaultRegion: string,
  fastHealthChecks: boolean,
): Record<string, QueryOperationHandler> {
  const healthCheckFrom = (q: QueryInput, base: HealthCheckConfig): HealthCheckConfig => {
    const min = fastHealthChecks ? 1 : undefined;
    const hc: HealthCheckConfig = {
      enabled: q.bool('HealthCheckEnabled') ?? base.enabled,
      protocol: q.str('HealthCheckProtocol') ?? base.protocol,
      port: q.str('HealthCheckPort') ?? base.port,
      path: q.str('HealthCheckPath') ?? base.path,
      intervalSeconds: q.int('HealthCheckIntervalSeconds', min ?? 5, 300) ?? base.intervalSeconds,
      timeoutSeconds: q.int('HealthCheckTimeoutSeconds', min ?? 2, 120) ?? base.timeoutSeconds,
      healthyThreshold: q.int('HealthyThresholdCount', min ?? 2, 10) ?? base.healthyThreshold,
      unhealthyThreshold: q.int('UnhealthyThresholdCount', min ?? 2, 10) ?? base.unhealthyThreshold,
      matcher: q.obj('Matcher')?.str('HttpCode') ?? base.matcher,
    };
    if (hc.protocol !== 'HTTP')
      throw new AwsError(
        'ValidationError',
        `Health check protocol '${hc.protocol}' is not supported by local-cloud (HTTP only)`,
      );
    if (hc.port !== 'traffic-port' && !(Number(hc.port) >= 1 && Number(hc.port) <= 65535))
      throw new AwsError('ValidationError', `Health check port '${hc.port}' must be 'traffic-port' or a port number`);
    if (!hc.path.startsWith('/'))
      throw new AwsError('ValidationError', `Health check path '${hc.path}' must begin with a '/' character`);
    if (!isValidMatcher(hc.matcher))
      throw new AwsError('ValidationError', `Health check matcher HTTP code '${hc.matcher}' must be within '200-499'`);
    if (hc.timeoutSeconds >= hc.intervalSeconds && !(fastHealthChecks && hc.timeoutSeconds === hc.intervalSeconds)) {
      throw new AwsError(
        'ValidationError',
        `Health check timeout '${hc.timeoutSeconds}' must be smaller than the interval '${hc.intervalSeconds}'`,
      );
    }
    return hc;
  };

  const findTargets = (q: QueryInput, tg: TargetGroup) =>
    (q.objList('Targets') ?? []).map((t) => {
      const id = t.reqStr('Id');
      const port = t.int('Port', 1, 65535) ?? tg.port;
      return { id, port };
    });

  return {
    CreateTargetGroup(params) {
      const q = new QueryInput(params);
      const name = q.reqStr('Name');
      if (!NAME.test(name))
        throw new AwsError(
          'ValidationError',
          `Target group name '${name}' can have a maximum of 32 characters, can contain only alphanumeric characters or hyphens, and cannot begin or end with a hyphen`,
        );
      const targetType = q.str('TargetType') ?? 'instance';
      if (!['instance', 'ip'].includes(targetType))
        throw new AwsError(
          'ValidationError',
          `Target type '${targetType}' is not supported by local-cloud (instance or ip)`,
        );
      const protocol = q.str('Protocol');
      const port = q.int('Port', 1, 65535);
      if (protocol === undefined) throw new AwsError('ValidationError', `A protocol must be specified`);
      if (port === undefined) throw new AwsError('ValidationError', `A port must be specified`);
      if (protocol !== 'HTTP')
        throw new AwsError('ValidationError', `Protocol '${protocol}' is not supported by local-cloud (HTTP only)`);
      const vpcId = q.str('VpcId');
      if (vpcId === undefined) throw new AwsError('ValidationError', `A VPC ID must be specified`);
      const healthCheck = healthCheckFrom(q, defaultHealthCheck());
      const existing = [...elb.targetGroups.values()].find((tg) => tg.name === name);
      if (existing) {
        const same =
          existing.port === port &&
          existing.protocol === protocol &&
          existing.vpcId === vpcId &&
          existing.targetType === targetType &&
          JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck);
        if (!same)
          throw new AwsError(
            'DuplicateTargetGroupName',
            `A target group with the same name '${name}' exists, but with different settings`,
          );
        return { TargetGroups: [targetGroupView(existing, elb)] };
      }
      const tg: TargetGroup = {
        arn: `${elb.arnPrefix(currentRegion(defaultRegion))}:targetgroup/${name}/${hexId(16)}`,
        name,
        protocol,
        port,
        vpcId,
        targetType,
        protocolVersion: q.str('ProtocolVersion') ?? 'HTTP1',
        healthCheck,
        attributes: defaultTargetGroupAttributes(),
        targets: new Map(),
        createdTime: new Date(),
        roundRobin: 0,
      };
      elb.targetGroups.set(tg.arn, tg);
      return { TargetGroups: [targetGroupView(tg, elb)] };
    },

    DescribeTargetGroups(params) {
      const q = new QueryInput(params);
      const arns = q.strList('TargetGroupArns');
      const names = q.strList('Names');
      const lbArn = q.str('LoadBalancerArn');
      let groups = [...elb.targetGroups.values()];
      if (arns?.length) {
        const missingArns = arns.filter((a) => !elb.targetGroups.has(a));
        if (missingArns.length)
          throw new AwsError('TargetGroupNotFound', `Target groups '${missingArns.join(', ')}' not found`);
        groups = arns.map((a) => elb.targetGroups.get(a)!);
      } else if (names?.length) {
        const missingNames = names.filter((n) => !groups.some((g) => g.name === n));
        if (missingNames.length) throw new AwsError('TargetGroupNotFound', `One or more target groups not found`);
        groups = groups.filter((g) => names.includes(g.name));
      } else if (lbArn !== undefined) {
        elb.loadBalancer(lbArn);
        groups = groups.filter((g) => elb.loadBalancersOf(g.arn).includes(lbArn));
      }
      const { page, nextMarker } = pageOf(groups, q);
      return { TargetGroups: page.map((g) => targetGroupView(g, elb)), NextMarker: nextMarker };
    },

    ModifyTargetGroup(params) {
      const q = new QueryInput(params);
      const tg = elb.targetGroup(q.reqStr('TargetGroupArn'));
      tg.healthCheck = healthCheckFrom(q, tg.healthCheck);
      elb.restartChecks(tg);
      return { TargetGroups: [targetGroupView(tg, elb)] };
    },

    DeleteTargetGroup(params) {
      const q = new QueryInput(params);
      const arn = q.reqStr('TargetGroupArn');
      const tg = elb.targetGroups.get(arn);
      if (!tg) return {};
      if (elb.inUse(arn))
        throw new AwsError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
      for (const target of [...tg.targets.values()]) target.markRemoved();
      elb.targetGroups.delete(arn);
      return {};
    },

    DescribeTargetGroupAttributes(params) {
      const tg = elb.targetGroup(new QueryInput(params).reqStr('TargetGroupArn'));
      return { Attributes: [...tg.attributes].map(([Key, Value]) => ({ Key, Value })) };
    },

    ModifyTargetGroupAttributes(params) {
      const q = new QueryInput(params);
      const tg = elb.targetGroup(q.reqStr('TargetGroupArn'));
      const attributes = q.objList('Attributes');
      if (!attributes) throw missing('Attributes');
      for (const a of attributes) {
        const key = a.reqStr('Key');
        const value = a.str('Value') ?? '';
        if (!tg.attributes.has(key))
          throw new AwsError('ValidationError', `Target group attribute key '${key}' is not recognized`);
        if (key === 'deregistration_delay.timeout_seconds' && !(/^\d+$/.test(value) && Number(value) <= 3600)) {
          throw new AwsError(
            'ValidationError',
            `'${value}' must be an integer between 0 and 3600 for target group attribute key '${key}'`,
          );
        }
        tg.attributes.set(key, value);
      }
      return { Attributes: [...tg.attributes].map(([Key, Value]) => ({ Key, Value })) };
    },

    RegisterTargets(params) {
      const q = new QueryInput(params);
      const tg = elb.targetGroup(q.reqStr('TargetGroupArn'));
      if (q.params.Targets === undefined) throw missing('Targets');
      const targets = findTargets(q, tg);
      // All or nothing: a bad id anywhere in the list registers none of them.
      for (const { id } of targets) checkTargetId(tg.targetType, id);
      for (const { id, port } of targets) elb.registerTarget(tg, id, port);
      return {};
    },

    DeregisterTargets(params) {
      const q = new QueryInput(params);
      const tg = elb.targetGroup(q.reqStr('TargetGroupArn'));
      if (q.params.Targets === undefined) throw missing('Targets');
      const targets = findTargets(q, tg);
      const unknown = targets.filter((t) => !tg.targets.has(targetKey(t.id, t.port)));
      if (unknown.length)
        throw new AwsError(
          'InvalidTarget',
          `The following targets are not registered in target group '${tg.arn}': '${unknown.map((t) => t.id).join(', ')}'`,
        );
      for (const { id, port } of targets) void elb.deregisterTarget(tg, id, port);
      return {};
    },

    DescribeTargetHealth(params) {
      const q = new QueryInput(params);
      const tg = elb.targetGroup(q.reqStr('TargetGroupArn'));
      const asked = q.params.Targets === undefined ? undefined : findTargets(q, tg);
      const descriptions = asked
        ? asked.map(({ id, port }) => {
            const target = tg.targets.get(targetKey(id, port));
            return target ? targetHealthView(tg, target) : notRegisteredView(id, port);
          })
        : [...tg.targets.values()].map((t) => targetHealthView(tg, t));
      return { TargetHealthDescriptions: descriptions };
    },
  };
}
