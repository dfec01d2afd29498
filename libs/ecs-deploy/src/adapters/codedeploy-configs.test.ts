import { describe, expect, it } from 'vitest';
import { isPredefinedConfig, trafficRoutingOf } from './codedeploy-configs';

describe('trafficRoutingOf', () => {
  it('reads the traffic routing from the deployment configuration name', () => {
    expect(trafficRoutingOf('CodeDeployDefault.ECSAllAtOnce')).toEqual({ type: 'all-at-once' });
    expect(trafficRoutingOf('CodeDeployDefault.ECSLinear10PercentEvery3Minutes')).toEqual({
      type: 'linear',
      percent: 10,
      intervalMinutes: 3,
    });
    expect(trafficRoutingOf('CodeDeployDefault.ECSCanary10Percent15Minutes')).toEqual({
      type: 'canary',
      percent: 10,
      intervalMinutes: 15,
    });
    expect(() => trafficRoutingOf('MyBespokeConfig')).toThrow(/CONFIG_INVALID|deployment configuration/);
  });

  it('tells predefined configurations from custom ones', () => {
    expect(isPredefinedConfig('CodeDeployDefault.ECSAllAtOnce')).toBe(true);
    expect(isPredefinedConfig('MyLinear20PercentEvery2Minutes')).toBe(false);
  });
});
