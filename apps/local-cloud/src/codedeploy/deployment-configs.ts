import { randomUUID } from 'node:crypto';
import { AwsError } from '../contract';
import { shiftSteps, type TrafficStep } from '../bluegreen/index';
import type { WireObject } from './wire';
import { compact, epochSeconds, optNumber, optObject, optString } from './wire';

/** How production traffic moves during AllowTraffic. */
export type TrafficRouting =
  | { type: 'AllAtOnce' }
  | { type: 'TimeBasedCanary'; canaryPercentage: number; canaryInterval: number }
  | { type: 'TimeBasedLinear'; linearPercentage: number; linearInterval: number };

/** A deployment configuration, predefined or custom. */
export interface DeploymentConfig {
  deploymentConfigId: string;
  deploymentConfigName: string;
  computePlatform: 'ECS' | 'Server' | 'Lambda';
  trafficRouting?: TrafficRouting;
  minimumHealthyHosts?: { type: 'HOST_COUNT' | 'FLEET_PERCENT'; value: number };
  createTime: Date;
}

/** One step of a traffic shift: set the replacement's production weight, then wait (CodeDeploy minutes). */
export type { TrafficStep } from '../bluegreen/index';

/** The weights production traffic goes through, in order; the last step always reaches 100. */
export function trafficSteps(routing: TrafficRouting): TrafficStep[] {
  switch (routing.type) {
    case 'AllAtOnce':
      return shiftSteps({ type: 'all-at-once' });
    case 'TimeBasedCanary':
      return shiftSteps({ type: 'canary', percent: routing.canaryPercentage, waitMinutes: routing.canaryInterval });
    case 'TimeBasedLinear':
      return shiftSteps({ type: 'linear', percent: routing.linearPercentage, waitMinutes: routing.linearInterval });
  }
}

// AWS's predefined configurations exist from the account's start; a fixed epoch keeps them stable.
const PREDEFINED_TIME = new Date('2018-11-27T00:00:00Z');

function predefined(
  name: string,
  computePlatform: DeploymentConfig['computePlatform'],
  rest: Partial<DeploymentConfig>,
): DeploymentConfig {
  const idSuffix = Buffer.from(name).toString('hex').slice(-12).padStart(12, '0');
  return {
    deploymentConfigId: `00000000-0000-4000-8000-${idSuffix}`,
    deploymentConfigName: name,
    computePlatform,
    createTime: PREDEFINED_TIME,
    ...rest,
  };
}

const canary = (p: number, m: number): TrafficRouting => ({
  type: 'TimeBasedCanary',
  canaryPercentage: p,
  canaryInterval: m,
});
const linear = (p: number, m: number): TrafficRouting => ({
  type: 'TimeBasedLinear',
  linearPercentage: p,
  linearInterval: m,
});

/** The configurations every account has, as `ListDeploymentConfigs` shows them. */
export const PREDEFINED_CONFIGS: readonly DeploymentConfig[] = [
  predefined('CodeDeployDefault.OneAtATime', 'Server', { minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 99 } }),
  predefined('CodeDeployDefault.HalfAtATime', 'Server', { minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 50 } }),
  predefined('CodeDeployDefault.AllAtOnce', 'Server', { minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 } }),
  predefined('CodeDeployDefault.LambdaAllAtOnce', 'Lambda', { trafficRouting: { type: 'AllAtOnce' } }),
  predefined('CodeDeployDefault.LambdaCanary10Percent5Minutes', 'Lambda', { trafficRouting: canary(10, 5) }),
  predefined('CodeDeployDefault.LambdaCanary10Percent10Minutes', 'Lambda', { trafficRouting: canary(10, 10) }),
  predefined('CodeDeployDefault.LambdaCanary10Percent15Minutes', 'Lambda', { trafficRouting: canary(10, 15) }),
  predefined('CodeDeployDefault.LambdaCanary10Percent30Minutes', 'Lambda', { trafficRouting: canary(10, 30) }),
  predefined('CodeDeployDefault.LambdaLinear10PercentEvery1Minute', 'Lambda', { trafficRouting: linear(10, 1) }),
  predefined('CodeDeployDefault.LambdaLinear10PercentEvery2Minutes', 'Lambda', { trafficRouting: linear(10, 2) }),
  predefined('CodeDeployDefault.LambdaLinear10PercentEvery3Minutes', 'Lambda', { trafficRouting: linear(10, 3) }),
  predefined('CodeDeployDefault.LambdaLinear10PercentEvery10Minutes', 'Lambda', { trafficRouting: linear(10, 10) }),
  predefined('CodeDeployDefault.ECSAllAtOnce', 'ECS', { trafficRouting: { type: 'AllAtOnce' } }),
  predefined('CodeDeployDefault.ECSLinear10PercentEvery1Minutes', 'ECS', { trafficRouting: linear(10, 1) }),
  predefined('CodeDeployDefault.ECSLinear10PercentEvery3Minutes', 'ECS', { trafficRouting: linear(10, 3) }),
  predefined('CodeDeployDefault.ECSCanary10Percent5Minutes', 'ECS', { trafficRouting: canary(10, 5) }),
  predefined('CodeDeployDefault.ECSCanary10Percent15Minutes', 'ECS', { trafficRouting: canary(10, 15) }),
];

/** The wire form (`DeploymentConfigInfo`). */
export function renderDeploymentConfig(config: DeploymentConfig): WireObject {
  const routing = config.trafficRouting;
  return compact({
    deploymentConfigId: config.deploymentConfigId,
    deploymentConfigName: config.deploymentConfigName,
    minimumHealthyHosts: config.minimumHealthyHosts,
    createTime: epochSeconds(config.createTime),
    computePlatform: config.computePlatform,
    trafficRoutingConfig:
      routing === undefined
        ? undefined
        : compact({
            type: routing.type,
            timeBasedCanary:
              routing.type === 'TimeBasedCanary'
                ? { canaryPercentage: routing.canaryPercentage, canaryInterval: routing.canaryInterval }
                : undefined,
            timeBasedLinear:
              routing.type === 'TimeBasedLinear'
                ? { linearPercentage: routing.linearPercentage, linearInterval: routing.linearInterval }
                : undefined,
          }),
  });
}

const PLATFORMS = ['ECS', 'Server', 'Lambda'] as const;

function readPercentAndInterval(
  section: WireObject | undefined,
  pctKey: string,
  intervalKey: string,
  type: string,
): [number, number] {
  const bad = (why: string) =>
    new AwsError(
      'InvalidTrafficRoutingConfigurationException',
      `The ${type} traffic routing configuration is invalid: ${why}.`,
    );
  if (section === undefined)
    throw bad(`${type === 'TimeBasedCanary' ? 'timeBasedCanary' : 'timeBasedLinear'} is required`);
  const pct = optNumber(section, pctKey, 'InvalidTrafficRoutingConfigurationException');
  const interval = optNumber(section, intervalKey, 'InvalidTrafficRoutingConfigurationException');
  if (pct === undefined || !Number.isInteger(pct) || pct < 1 || pct > 99)
    throw bad(`${pctKey} must be an integer from 1 to 99; found ${String(pct)}`);
  if (interval === undefined || !Number.isInteger(interval) || interval < 1 || interval > 2880)
    throw bad(`${intervalKey} must be an integer number of minutes from 1 to 2880; found ${String(interval)}`);
  return [pct, interval];
}

/** Validates `CreateDeploymentConfig` input the way AWS does and builds the config. */
export function parseCreateDeploymentConfig(
  input: WireObject,
  existing: (name: string) => boolean,
  now: Date,
): DeploymentConfig {
  const name = optString(input, 'deploymentConfigName');
  if (name === undefined)
    throw new AwsError('DeploymentConfigNameRequiredException', 'Deployment config name is required.');
  if (name.length > 100 || !/^[A-Za-z0-9.\-_]+$/.test(name))
    throw new AwsError(
      'InvalidDeploymentConfigNameException',
      `The deployment config name '${name}' is invalid: use up to 100 letters, digits, '.', '-' or '_'.`,
    );
  if (name.startsWith('CodeDeployDefault.'))
    throw new AwsError(
      'InvalidDeploymentConfigNameException',
      `The deployment config name '${name}' uses the reserved prefix 'CodeDeployDefault.'.`,
    );
  if (existing(name))
    throw new AwsError('DeploymentConfigAlreadyExistsException', `Deployment config already exists with name ${name}`);
  const platform = optString(input, 'computePlatform') ?? 'Server';
  if (!(PLATFORMS as readonly string[]).includes(platform))
    throw new AwsError(
      'InvalidComputePlatformException',
      `The computePlatform '${platform}' is invalid; expected one of ${PLATFORMS.join(', ')}.`,
    );
  const computePlatform = platform as DeploymentConfig['computePlatform'];
  const minimum = optObject(input, 'minimumHealthyHosts');
  const routingInput = optObject(input, 'trafficRoutingConfig');
  const base = { deploymentConfigId: randomUUID(), deploymentConfigName: name, computePlatform, createTime: now };
  if (computePlatform === 'Server') {
    if (routingInput !== undefined)
      throw new AwsError(
        'InvalidTrafficRoutingConfigurationException',
        'A traffic routing configuration is not valid for the Server compute platform.',
      );
    const type = minimum === undefined ? undefined : optString(minimum, 'type');
    const value = minimum === undefined ? undefined : optNumber(minimum, 'value');
    if ((type !== 'HOST_COUNT' && type !== 'FLEET_PERCENT') || value === undefined || value < 0)
      throw new AwsError(
        'InvalidMinimumHealthyHostValueException',
        'minimumHealthyHosts with a type of HOST_COUNT or FLEET_PERCENT and a non-negative value is required for the Server compute platform.',
      );
    return { ...base, minimumHealthyHosts: { type, value } };
  }
  if (minimum !== undefined)
    throw new AwsError(
      'InvalidMinimumHealthyHostValueException',
      `minimumHealthyHosts is not valid for the ${computePlatform} compute platform.`,
    );
  return { ...base, trafficRouting: parseTrafficRouting(routingInput) };
}

function parseTrafficRouting(routingInput: WireObject | undefined): TrafficRouting {
  const type = routingInput === undefined ? 'AllAtOnce' : (optString(routingInput, 'type') ?? 'AllAtOnce');
  if (type === 'AllAtOnce') return { type };
  if (type === 'TimeBasedCanary') {
    const [canaryPercentage, canaryInterval] = readPercentAndInterval(
      optObject(routingInput ?? {}, 'timeBasedCanary'),
      'canaryPercentage',
      'canaryInterval',
      type,
    );
    return { type, canaryPercentage, canaryInterval };
  }
  if (type === 'TimeBasedLinear') {
    const [linearPercentage, linearInterval] = readPercentAndInterval(
      optObject(routingInput ?? {}, 'timeBasedLinear'),
      'linearPercentage',
      'linearInterval',
      type,
    );
    return { type, linearPercentage, linearInterval };
  }
  throw new AwsError(
    'InvalidTrafficRoutingConfigurationException',
    `The traffic routing type '${type}' is invalid; expected AllAtOnce, TimeBasedCanary or TimeBasedLinear.`,
  );
}
