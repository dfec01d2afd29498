import { describe, expect, it } from 'vitest';
import { parseCreateDeploymentConfig, PREDEFINED_CONFIGS, trafficSteps } from './deployment-configs';

const now = new Date('2026-01-01T00:00:00Z');
const create = (input: Record<string, unknown>) => parseCreateDeploymentConfig(input, (n) => n === 'Taken', now);

describe('deployment configurations', () => {
  it('turns each routing type into the weights and waits AWS uses', () => {
    expect(trafficSteps({ type: 'AllAtOnce' })).toEqual([{ replacementPercent: 100, waitMinutesAfter: 0 }]);
    expect(trafficSteps({ type: 'TimeBasedCanary', canaryPercentage: 10, canaryInterval: 15 })).toEqual([
      { replacementPercent: 10, waitMinutesAfter: 15 },
      { replacementPercent: 100, waitMinutesAfter: 0 },
    ]);
    expect(
      trafficSteps({ type: 'TimeBasedLinear', linearPercentage: 30, linearInterval: 2 }).map(
        (s) => s.replacementPercent,
      ),
    ).toEqual([30, 60, 90, 100]);
    expect(
      trafficSteps({ type: 'TimeBasedLinear', linearPercentage: 10, linearInterval: 3 }).reduce(
        (m, s) => m + s.waitMinutesAfter,
        0,
      ),
    ).toBe(27);
  });

  it('has the five predefined ECS configurations', () => {
    const ecs = PREDEFINED_CONFIGS.filter((c) => c.computePlatform === 'ECS').map((c) => c.deploymentConfigName);
    expect(ecs).toEqual([
      'CodeDeployDefault.ECSAllAtOnce',
      'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
      'CodeDeployDefault.ECSCanary10Percent5Minutes',
      'CodeDeployDefault.ECSCanary10Percent15Minutes',
    ]);
  });

  it('validates custom configurations as AWS does', () => {
    expect(
      create({
        deploymentConfigName: 'Lin',
        computePlatform: 'ECS',
        trafficRoutingConfig: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 20, linearInterval: 1 } },
      }).trafficRouting,
    ).toEqual({ type: 'TimeBasedLinear', linearPercentage: 20, linearInterval: 1 });
    const bad: [Record<string, unknown>, string][] = [
      [{}, 'DeploymentConfigNameRequiredException'],
      [{ deploymentConfigName: 'Taken', computePlatform: 'ECS' }, 'DeploymentConfigAlreadyExistsException'],
      [
        { deploymentConfigName: 'CodeDeployDefault.Mine', computePlatform: 'ECS' },
        'InvalidDeploymentConfigNameException',
      ],
      [{ deploymentConfigName: 'X', computePlatform: 'Mainframe' }, 'InvalidComputePlatformException'],
      [
        { deploymentConfigName: 'X', computePlatform: 'ECS', minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 } },
        'InvalidMinimumHealthyHostValueException',
      ],
      [
        {
          deploymentConfigName: 'X',
          computePlatform: 'ECS',
          trafficRoutingConfig: {
            type: 'TimeBasedCanary',
            timeBasedCanary: { canaryPercentage: 0, canaryInterval: 5 },
          },
        },
        'InvalidTrafficRoutingConfigurationException',
      ],
      [
        { deploymentConfigName: 'X', computePlatform: 'ECS', trafficRoutingConfig: { type: 'TimeBasedLinear' } },
        'InvalidTrafficRoutingConfigurationException',
      ],
      [
        { deploymentConfigName: 'X', computePlatform: 'ECS', trafficRoutingConfig: { type: 'Sideways' } },
        'InvalidTrafficRoutingConfigurationException',
      ],
      [{ deploymentConfigName: 'X', computePlatform: 'Server' }, 'InvalidMinimumHealthyHostValueException'],
    ];
    for (const [input, code] of bad)
      expect(() => create(input), JSON.stringify(input)).toThrow(expect.objectContaining({ code }));
  });
});
