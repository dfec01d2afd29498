import type { ShiftPlan } from '../bluegreen/index';
import { AwsError } from '../contract';
import type { Elb } from '../elb/elb';
import type { JsonInput } from './json-input';
import type { AdvancedConfiguration, ServiceLoadBalancer } from './model';
import { HOOK_STAGES, type LifecycleHook, type LifecycleStage, type Strategy } from './service-deployment-model';

const STRATEGIES: readonly Strategy[] = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'];
const invalid = (message: string) => new AwsError('InvalidParameterException', message);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The strategy a deployment configuration names (ROLLING when it names none, as ECS defaults). */
export function strategyOf(config: Record<string, unknown> | undefined): Strategy {
  const s = config?.['strategy'];
  return s === undefined ? 'ROLLING' : (s as Strategy);
}

/** Whether the strategy runs two revisions side by side and moves traffic between them. */
export function isTrafficShifting(strategy: Strategy): boolean {
  return strategy !== 'ROLLING';
}

function numberIn(v: unknown, name: string, min: number, max: number, tenths = false): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw invalid(`${name} must be a number from ${min} to ${max}.`);
  if (!tenths && !Number.isInteger(v)) throw invalid(`${name} must be an integer.`);
  if (tenths && Math.abs(v * 10 - Math.round(v * 10)) > 1e-9) throw invalid(`${name} must be a multiple of 0.1.`);
  return v;
}

/** Checks the ECS-native members of a (merged) deployment configuration, with AWS's ranges. */
export function validateDeploymentConfiguration(config: Record<string, unknown>): void {
  const strategy = config['strategy'];
  if (strategy !== undefined && !STRATEGIES.includes(strategy as Strategy))
    throw invalid(
      `Invalid deployment strategy: ${String(strategy)}. Valid values are ROLLING, BLUE_GREEN, LINEAR, CANARY.`,
    );
  numberIn(config['bakeTimeInMinutes'], 'bakeTimeInMinutes', 0, 1440);
  const linear = config['linearConfiguration'];
  if (isObject(linear)) {
    numberIn(linear['stepPercent'], 'linearConfiguration.stepPercent', 3, 100, true);
    numberIn(linear['stepBakeTimeInMinutes'], 'linearConfiguration.stepBakeTimeInMinutes', 0, 1440);
  }
  const canary = config['canaryConfiguration'];
  if (isObject(canary)) {
    numberIn(canary['canaryPercent'], 'canaryConfiguration.canaryPercent', 0.1, 100, true);
    numberIn(canary['canaryBakeTimeInMinutes'], 'canaryConfiguration.canaryBakeTimeInMinutes', 0, 1440);
  }
  hooksOf(config);
}

/** The lifecycle hooks of a deployment configuration, with AWS's defaults (24 hours, then ROLLBACK). */
export function hooksOf(config: Record<string, unknown>): LifecycleHook[] {
  const raw = config['lifecycleHooks'];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid('lifecycleHooks must be a list.');
  return raw.map((h: unknown, i) => {
    if (!isObject(h)) throw invalid(`lifecycleHooks[${i}] must be a structure.`);
    const targetType = h['targetType'];
    if (targetType !== 'AWS_LAMBDA' && targetType !== 'PAUSE')
      throw invalid(`lifecycleHooks[${i}].targetType must be AWS_LAMBDA or PAUSE.`);
    const stages = h['lifecycleStages'];
    if (!Array.isArray(stages) || stages.length === 0)
      throw invalid(`lifecycleHooks[${i}].lifecycleStages must name at least one lifecycle stage.`);
    for (const s of stages)
      if (!HOOK_STAGES.includes(s as LifecycleStage))
        throw invalid(
          `Invalid lifecycle stage for a lifecycle hook: ${String(s)}. Valid values are ${HOOK_STAGES.join(', ')}.`,
        );
    const hookTargetArn = typeof h['hookTargetArn'] === 'string' ? h['hookTargetArn'] : undefined;
    const roleArn = typeof h['roleArn'] === 'string' ? h['roleArn'] : undefined;
    if (targetType === 'AWS_LAMBDA' && (!hookTargetArn || !roleArn))
      throw invalid('A lifecycle hook with target type AWS_LAMBDA requires hookTargetArn and roleArn.');
    const timeout = isObject(h['timeoutConfiguration']) ? h['timeoutConfiguration'] : {};
    const action = timeout['action'] ?? 'ROLLBACK';
    if (action !== 'CONTINUE' && action !== 'ROLLBACK')
      throw invalid(`lifecycleHooks[${i}].timeoutConfiguration.action must be CONTINUE or ROLLBACK.`);
    return {
      targetType,
      hookTargetArn,
      roleArn,
      lifecycleStages: stages as LifecycleStage[],
      timeoutMinutes: numberIn(timeout['timeoutInMinutes'], 'timeoutInMinutes', 1, 20160) ?? 1440,
      timeoutAction: action,
    };
  });
}

/** How production traffic moves for a strategy, with AWS's defaults for linear (10 %, 6 min) and canary (5 %, 10 min). */
export function shiftPlanOf(strategy: Strategy, config: Record<string, unknown>): ShiftPlan {
  const linear = isObject(config['linearConfiguration']) ? config['linearConfiguration'] : {};
  const canary = isObject(config['canaryConfiguration']) ? config['canaryConfiguration'] : {};
  if (strategy === 'LINEAR')
    return {
      type: 'linear',
      percent: (linear['stepPercent'] as number | undefined) ?? 10,
      waitMinutes: (linear['stepBakeTimeInMinutes'] as number | undefined) ?? 6,
    };
  if (strategy === 'CANARY')
    return {
      type: 'canary',
      percent: (canary['canaryPercent'] as number | undefined) ?? 5,
      waitMinutes: (canary['canaryBakeTimeInMinutes'] as number | undefined) ?? 10,
    };
  return { type: 'all-at-once' };
}

/** Minutes both revisions keep running after production traffic moved (0 when not set). */
export function bakeMinutesOf(config: Record<string, unknown>): number {
  return (config['bakeTimeInMinutes'] as number | undefined) ?? 0;
}

/** Reads and checks `advancedConfiguration` of one load balancer binding: the alternate group and the rules exist. */
export function readAdvancedConfiguration(
  lb: JsonInput,
  targetGroupArn: string,
  elb: Elb,
): AdvancedConfiguration | undefined {
  const adv = lb.obj('advancedConfiguration');
  if (!adv) return undefined;
  const alternateTargetGroupArn = adv.str('alternateTargetGroupArn');
  const productionListenerRule = adv.str('productionListenerRule');
  const testListenerRule = adv.str('testListenerRule');
  const roleArn = adv.str('roleArn');
  if (!alternateTargetGroupArn || !productionListenerRule || !roleArn)
    throw invalid(
      'advancedConfiguration requires alternateTargetGroupArn, productionListenerRule and roleArn for a load balancer of a blue/green, linear or canary deployment.',
    );
  if (!elb.targetGroups.has(alternateTargetGroupArn))
    throw invalid(`The alternate target group ${alternateTargetGroupArn} does not exist.`);
  if (alternateTargetGroupArn === targetGroupArn)
    throw invalid('The alternate target group must be different from the target group.');
  for (const ruleArn of [productionListenerRule, ...(testListenerRule ? [testListenerRule] : [])]) {
    let forward;
    try {
      const found = elb.rule(ruleArn);
      forward = found.rule ? found.rule.forward : found.listener.forward;
    } catch {
      throw invalid(`The listener rule ${ruleArn} does not exist.`);
    }
    if (!forward.some((f) => f.targetGroupArn === targetGroupArn || f.targetGroupArn === alternateTargetGroupArn))
      throw invalid(
        `The listener rule ${ruleArn} must forward to the target group ${targetGroupArn} or the alternate target group ${alternateTargetGroupArn}.`,
      );
  }
  return {
    alternateTargetGroupArn,
    productionListenerRule,
    ...(testListenerRule ? { testListenerRule } : {}),
    roleArn,
  };
}

/** A traffic-shifting strategy needs every load balancer to carry advancedConfiguration, and at least one of them. */
export function requireAdvancedConfiguration(strategy: Strategy, loadBalancers: ServiceLoadBalancer[]): void {
  if (!isTrafficShifting(strategy)) return;
  if (loadBalancers.length === 0)
    throw invalid(`A load balancer is required for a service with the ${strategy} deployment strategy.`);
  if (loadBalancers.some((lb) => !lb.advancedConfiguration))
    throw invalid(
      `advancedConfiguration is required for each load balancer of a service with the ${strategy} deployment strategy.`,
    );
}
