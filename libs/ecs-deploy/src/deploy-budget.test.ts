import { deploySettingsSchema } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { computeDeployBudget, trafficRoutingOf } from './deploy-budget';

const settings = (over: Record<string, unknown>) => deploySettingsSchema.parse(over);

describe('computeDeployBudget', () => {
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

  it('adds readiness wait, shift intervals, termination wait, drain and the health-check floor', () => {
    const b = computeDeployBudget(
      settings({
        deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
        readinessWait: '10m',
        terminationWait: '5m',
        deregistrationDelay: '5s',
        healthCheck: { interval: '5s', timeout: '2s', healthyThreshold: 2 },
      }),
      { taskStartMs: 60_000 },
    );
    expect(b.replacementMs).toBe(60_000 + 3 * 12_000);
    expect(b.readinessWaitMs).toBe(600_000);
    expect(b.trafficShiftMs).toBe(9 * 60_000); // 10 steps of 10 %, nine waits of a minute
    expect(b.terminationWaitMs).toBe(300_000);
    const base = 96_000 + 600_000 + 540_000 + 300_000 + 5_000;
    expect(b.marginMs).toBe(Math.ceil(base * 0.2));
    expect(b.totalMs).toBe(base + b.marginMs);
    expect(b.untilTrafficMs).toBe(96_000 + 600_000 + 540_000 + b.marginMs);
  });

  it("divides CodeDeploy's waits by local-cloud's time scale but never the health checks", () => {
    const s = settings({
      deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      readinessWait: '10m',
      terminationWait: '1m',
    });
    const real = computeDeployBudget(s, { taskStartMs: 5_000 });
    const fast = computeDeployBudget(s, { taskStartMs: 5_000, timeScale: 60 });
    expect(fast.readinessWaitMs).toBe(10_000);
    expect(fast.trafficShiftMs).toBe(5_000);
    expect(fast.terminationWaitMs).toBe(1_000);
    expect(fast.replacementMs).toBe(real.replacementMs);
    expect(fast.totalMs).toBeLessThan(real.totalMs / 5);
  });
});
