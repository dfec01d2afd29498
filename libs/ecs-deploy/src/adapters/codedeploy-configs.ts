import { ShipgateError } from '@shipgate/model';
import type { TrafficRouting } from '../deploy-budget';

/** The CodeDeploy configuration a rollback redeploy uses: all traffic at once. */
export const allAtOnceConfig = 'CodeDeployDefault.ECSAllAtOnce';

/**
 * Whether a deployment configuration is one of CodeDeploy's predefined ones (`CodeDeployDefault.*`),
 * whose routing its name gives. Any other is read from CodeDeploy at deploy time.
 */
export function isPredefinedConfig(deploymentConfig: string): boolean {
  return deploymentConfig.startsWith('CodeDeployDefault.');
}

/** Reads the traffic routing of a CodeDeploy ECS deployment configuration from its name. */
export function trafficRoutingOf(deploymentConfig: string): TrafficRouting {
  if (/AllAtOnce$/.test(deploymentConfig)) return { type: 'all-at-once' };
  const linear = /Linear(\d+)PercentEvery(\d+)Minutes?$/.exec(deploymentConfig);
  if (linear) return { type: 'linear', percent: Number(linear[1]), intervalMinutes: Number(linear[2]) };
  const canary = /Canary(\d+)Percent(\d+)Minutes?$/.exec(deploymentConfig);
  if (canary) return { type: 'canary', percent: Number(canary[1]), intervalMinutes: Number(canary[2]) };
  throw new ShipgateError(
    'CONFIG_INVALID',
    `expected a CodeDeploy ECS deployment configuration named like CodeDeployDefault.ECSAllAtOnce, …ECSLinear10PercentEvery1Minutes or …ECSCanary10Percent5Minutes, found "${deploymentConfig}"`,
    {
      location: { path: 'environments.<env>.deploy.deploymentConfig' },
      hint: 'shipgate reads a custom configuration from CodeDeploy when it deploys; without CodeDeploy (a pure plan), name it after its routing (e.g. MyLinear20PercentEvery2Minutes).',
    },
  );
}
