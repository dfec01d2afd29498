import { deploySettingsSchema } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { computeDeployBudget, ecsTrafficRouting } from './deploy-budget';

const settings = (over: Record<string, unknown>) => deploySettingsSchema.parse(over);

describe('computeDeployBudget', () => {
  it('adds readiness wait, shift intervals, bake (termination wait), drain and the health-check floor', () => {
    const b = computeDeployBudget(
      settings({
        deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
        readinessWait: '10m',
        terminationWait: '5m',
        deregistrationDelay: '5s',
        healthCheck: { interval: '5s', timeout: '2s', healthyThreshold: 2 },
      }),
      { taskStartMs: 60_000, routing: { type: 'linear', percent: 10, intervalMinutes: 1 } },
    );
    expect(b.replacementMs).toBe(60_000 + 3 * 12_000);
    expect(b.readinessWaitMs).toBe(600_000);
    expect(b.trafficShiftMs).toBe(9 * 60_000); // 10 steps of 10 %, nine waits of a minute
    expect(b.bakeMs).toBe(300_000);
    const base = 96_000 + 600_000 + 540_000 + 300_000 + 5_000;
    expect(b.marginMs).toBe(Math.ceil(base * 0.2));
    expect(b.totalMs).toBe(base + b.marginMs);
    expect(b.untilTrafficMs).toBe(96_000 + 600_000 + 540_000 + b.marginMs);
  });

  it("divides the controller's waits by local-cloud's time scale but never the health checks", () => {
    const s = settings({
      deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      readinessWait: '10m',
      terminationWait: '1m',
    });
    const routing = { type: 'canary', percent: 10, intervalMinutes: 5 } as const;
    const real = computeDeployBudget(s, { taskStartMs: 5_000, routing });
    const fast = computeDeployBudget(s, { taskStartMs: 5_000, timeScale: 60, routing });
    expect(fast.readinessWaitMs).toBe(10_000);
    expect(fast.trafficShiftMs).toBe(5_000);
    expect(fast.bakeMs).toBe(1_000);
    expect(fast.replacementMs).toBe(real.replacementMs);
    expect(fast.totalMs).toBeLessThan(real.totalMs / 5);
  });

  it('bakes for bakeTime under controller ecs, and counts whole steps of a fractional linear percent', () => {
    const b = computeDeployBudget(settings({ controller: 'ecs', strategy: 'LINEAR', bakeTime: '2m' }), {
      taskStartMs: 5_000,
      routing: { type: 'linear', percent: 33.4, intervalMinutes: 1 },
    });
    expect(b.bakeMs).toBe(120_000);
    expect(b.trafficShiftMs).toBe(2 * 60_000); // 33.4 + 33.4 + 33.2: two waits
  });

  it('reads an ECS-native strategy from the config, defaults included', () => {
    expect(ecsTrafficRouting(settings({ controller: 'ecs' }))).toEqual({ type: 'all-at-once' });
    expect(ecsTrafficRouting(settings({ controller: 'ecs', strategy: 'LINEAR' }))).toEqual({
      type: 'linear',
      percent: 10,
      intervalMinutes: 6,
    });
    expect(
      ecsTrafficRouting(settings({ controller: 'ecs', strategy: 'CANARY', canary: { percent: 2.5, bakeTime: '90s' } })),
    ).toEqual({ type: 'canary', percent: 2.5, intervalMinutes: 1.5 });
  });
});
