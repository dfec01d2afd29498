/**
 * What shipgate asks of an ECS-native blue/green service (`deploymentController: ECS`): the deployment
 * configuration (strategy, bake, alarms, PAUSE hooks) and the load balancer's advanced configuration.
 * Pure: bootstrap sets these on CreateService and the deploy sends them with every UpdateService.
 */
import type { DeploymentConfiguration, LoadBalancer } from '@aws-sdk/client-ecs';
import { parseDuration } from '@shipgate/model';
import type { TrafficRouting } from '../deploy-budget';
import type { EcsTrafficResources } from '../infra-port';
import type { DeploymentTarget } from '../ports';

/** The lifecycle stage where shipgate verifies the replacement through the test listener. */
export const verifyStage = 'POST_TEST_TRAFFIC_SHIFT' as const;
/**
 * The lifecycle stage where shipgate holds the original revision after production traffic moved.
 *
 * Why not `bakeTimeInMinutes`: ECS offers no call that ends a bake early (ContinueServiceDeployment only
 * acts on a PAUSE hook awaiting action, StopServiceDeployment only rolls back). A PAUSE hook here, with the
 * environment's termination wait as its timeout and CONTINUE as its timeout action, keeps the original
 * revision alive just as a bake does (clean-up comes after it), lets `ContinueServiceDeployment` end it now
 * (finish now), and lets StopServiceDeployment(ROLLBACK) restore the original in seconds meanwhile.
 * The service's own `bakeTimeInMinutes` is then 0; `deploy.bakeTime` is the hook's timeout.
 */
export const holdStage = 'POST_PRODUCTION_TRAFFIC_SHIFT' as const;

/** ECS limits a PAUSE hook's timeout to 14 days; linear/canary step waits to 24 hours. */
const maxHookMinutes = 14 * 24 * 60;
const maxStepMinutes = 24 * 60;
const minutesUp = (ms: number, min: number, max: number) => Math.min(max, Math.max(min, Math.ceil(ms / 60_000)));

/** The ECS strategy that moves production traffic as the routing says. */
export function ecsStrategyOf(
  routing: TrafficRouting,
): Pick<DeploymentConfiguration, 'strategy' | 'linearConfiguration' | 'canaryConfiguration'> {
  if (routing.type === 'linear')
    return {
      strategy: 'LINEAR',
      // ECS accepts 3–100 % per step and whole minutes between steps.
      linearConfiguration: {
        stepPercent: Math.min(100, Math.max(3, routing.percent)),
        stepBakeTimeInMinutes: Math.min(maxStepMinutes, Math.ceil(routing.intervalMinutes)),
      },
    };
  if (routing.type === 'canary')
    return {
      strategy: 'CANARY',
      canaryConfiguration: {
        canaryPercent: Math.min(100, Math.max(0.1, routing.percent)),
        canaryBakeTimeInMinutes: Math.min(maxStepMinutes, Math.ceil(routing.intervalMinutes)),
      },
    };
  return { strategy: 'BLUE_GREEN' };
}

/**
 * The whole deployment configuration of one deployment. UpdateService keeps it on the service, so every
 * deploy sends it in full: a rollback's all-at-once redeploy does not leave the service all-at-once.
 */
export function ecsDeploymentConfiguration(
  target: Pick<DeploymentTarget, 'deploy'>,
  routing: TrafficRouting,
): DeploymentConfiguration {
  const alarms = target.deploy.alarms;
  return {
    ...ecsStrategyOf(routing),
    bakeTimeInMinutes: 0,
    // Blue and green run side by side: ECS starts the whole replacement before traffic moves.
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    ...(alarms.length ? { alarms: { alarmNames: [...alarms], enable: true, rollback: true } } : {}),
    lifecycleHooks: [
      {
        targetType: 'PAUSE',
        lifecycleStages: [verifyStage],
        // Unverified after the readiness wait: roll back, never let production traffic move.
        timeoutConfiguration: {
          timeoutInMinutes: minutesUp(parseDuration(target.deploy.readinessWait), 1, maxHookMinutes),
          action: 'ROLLBACK',
        },
      },
      {
        targetType: 'PAUSE',
        lifecycleStages: [holdStage],
        // The bake time: nobody objected, so the deployment finishes on its own.
        timeoutConfiguration: {
          timeoutInMinutes: minutesUp(parseDuration(target.deploy.bakeTime), 1, maxHookMinutes),
          action: 'CONTINUE',
        },
      },
    ],
  };
}

/** The service's `loadBalancers` entry for ECS-native blue/green. */
export function ecsLoadBalancers(
  target: Pick<DeploymentTarget, 'containerName' | 'containerPort'>,
  resources: EcsTrafficResources,
): LoadBalancer[] {
  return [
    {
      targetGroupArn: resources.targetGroupArn,
      containerName: target.containerName,
      containerPort: target.containerPort,
      advancedConfiguration: {
        alternateTargetGroupArn: resources.alternateTargetGroupArn,
        productionListenerRule: resources.productionListenerRuleArn,
        testListenerRule: resources.testListenerRuleArn,
        roleArn: resources.roleArn,
      },
    },
  ];
}
