import { AwsError } from '../contract';

type Controller = 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';

// What ECS reports for members a caller left out. The circuit breaker belongs to the rolling update (ECS)
// controller only; the percentages are reported for every controller, used or not.
function defaults(controller: Controller): Record<string, unknown> {
  const percents = { maximumPercent: 200, minimumHealthyPercent: 100 };
  return controller === 'ECS'
    ? { deploymentCircuitBreaker: { enable: false, rollback: false }, ...percents }
    : percents;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The deployment configuration a service has after CreateService (no `current`) or UpdateService: the members
 * given replace those of the current configuration (AWS's defaults on create), nested structures member by member.
 */
export function mergeDeploymentConfiguration(
  controller: Controller,
  current: Record<string, unknown> | undefined,
  given: unknown,
): Record<string, unknown> {
  const base = current ?? defaults(controller);
  if (given === undefined || given === null) return base;
  if (!isObject(given)) throw new AwsError('InvalidParameterException', 'deploymentConfiguration must be a structure.');
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    merged[key] = isObject(value) && isObject(base[key]) ? { ...base[key], ...value } : value;
  }
  return merged;
}
