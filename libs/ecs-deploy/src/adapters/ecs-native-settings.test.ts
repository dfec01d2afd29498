import { describe, expect, it } from 'vitest';
import { sampleTarget } from '../__fixtures__/targets';
import { ecsDeploymentConfiguration, ecsStrategyOf } from './ecs-native-settings';

describe('ecsDeploymentConfiguration', () => {
  it('pauses for verification after test traffic moved and holds the original after production traffic moved', () => {
    const config = ecsDeploymentConfiguration(sampleTarget('production', { controller: 'ecs', bakeTime: '5m' }), {
      type: 'all-at-once',
    });
    expect(config.strategy).toBe('BLUE_GREEN');
    expect(config.bakeTimeInMinutes).toBe(0);
    expect(config.lifecycleHooks).toEqual([
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 10, action: 'ROLLBACK' },
      },
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 5, action: 'CONTINUE' },
      },
    ]);
    expect(config.alarms).toEqual({ alarmNames: ['demo-5xx'], enable: true, rollback: true });
  });

  it('leaves alarms out when the environment names none, and rounds waits up to whole minutes', () => {
    const config = ecsDeploymentConfiguration(
      sampleTarget('test', { controller: 'ecs', readinessWait: '90s', bakeTime: '10s' }),
      {
        type: 'all-at-once',
      },
    );
    expect(config.alarms).toBeUndefined();
    expect(config.lifecycleHooks?.map((h) => h.timeoutConfiguration?.timeoutInMinutes)).toEqual([2, 1]);
  });
});

describe('ecsStrategyOf', () => {
  it('maps linear and canary routing to ECS strategies within the ranges ECS accepts', () => {
    expect(ecsStrategyOf({ type: 'linear', percent: 10, intervalMinutes: 1 })).toEqual({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 10, stepBakeTimeInMinutes: 1 },
    });
    expect(ecsStrategyOf({ type: 'linear', percent: 1, intervalMinutes: 2000 }).linearConfiguration).toEqual({
      stepPercent: 3,
      stepBakeTimeInMinutes: 1440,
    });
    // ECS takes whole minutes between steps: 90 s is 2.
    expect(ecsStrategyOf({ type: 'linear', percent: 12.5, intervalMinutes: 1.5 }).linearConfiguration).toEqual({
      stepPercent: 12.5,
      stepBakeTimeInMinutes: 2,
    });
    expect(ecsStrategyOf({ type: 'canary', percent: 10, intervalMinutes: 5 })).toEqual({
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
    });
  });
});
