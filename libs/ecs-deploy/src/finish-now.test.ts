import { ManualClock, ShipgateError } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { planFinishNow, runFinishNow } from './finish-now';
import type { DeploymentPhase, DeploymentView, SkippableWait } from './ports';

const where = { environment: 'production', service: 'api' };
const view = (phase: DeploymentPhase, green = 100): DeploymentView => ({
  id: 'd-1',
  phase,
  controllerStatus: phase === 'verifying' ? 'Ready' : 'InProgress',
  lifecycleEvents: [],
  sides: [
    { id: 'b', label: 'Blue', trafficWeight: 100 - green, desiredCount: 2, runningCount: 2, pendingCount: 0 },
    { id: 'g', label: 'Green', trafficWeight: green, desiredCount: 2, runningCount: 2, pendingCount: 0 },
  ],
});
const bakeOnly = { label: 'CodeDeploy', skippableWaits: new Set<SkippableWait>(['bake']) };
const both = { label: 'ECS', skippableWaits: new Set<SkippableWait>(['bake', 'shift']) };

describe('planFinishNow', () => {
  it('skips the bake while baking, and the shift waits where the controller can', () => {
    expect(planFinishNow(view('baking'), bakeOnly, where)).toEqual({
      ok: true,
      value: {
        deploymentId: 'd-1',
        phase: 'baking',
        controllerStatus: 'InProgress',
        skip: 'bake',
        replacementWeight: 100,
      },
    });
    expect(planFinishNow(view('shifting', 10), both, where)).toMatchObject({ ok: true, value: { skip: 'shift' } });
  });

  it('never skips verification, and says when to run it again', () => {
    for (const phase of ['starting', 'verifying'] as const) {
      const planned = planFinishNow(view(phase, 0), both, where);
      expect(!planned.ok && planned.error).toMatchObject({
        code: 'FINISH_NOT_POSSIBLE',
        situation: 'not-verified-yet',
      });
      expect(!planned.ok && planned.error.message).toContain(
        `is ${phase}; finish now skips only the waits after verification`,
      );
    }
  });

  it('refuses the shift waits a controller cannot skip, naming it and what it can do', () => {
    const planned = planFinishNow(view('shifting', 10), bakeOnly, where);
    expect(!planned.ok && planned.error).toMatchObject({
      code: 'FINISH_NOT_POSSIBLE',
      situation: 'controller-cannot-skip',
      message:
        'deployment d-1 of api in production is shifting production traffic (10% on the replacement); CodeDeploy offers no way to skip the remaining canary or linear waits',
    });
    expect(!planned.ok && planned.error.hint).toContain('shows it baking');
  });

  it('has nothing to finish when nothing is in flight, it ended, or it rolls back', () => {
    expect(planFinishNow(undefined, both, where)).toMatchObject({
      ok: false,
      error: { situation: 'nothing-in-flight' },
    });
    expect(planFinishNow(view('finished'), both, where)).toMatchObject({
      ok: false,
      error: {
        code: 'NOTHING_TO_FINISH',
        message: 'no deployment of api in production is in flight (d-1 ended finished); nothing to finish',
      },
    });
    expect(planFinishNow(view('rolling-back'), both, where)).toMatchObject({
      ok: false,
      error: { situation: 'rolling-back' },
    });
  });
});

describe('runFinishNow', () => {
  const plan = {
    deploymentId: 'd-1',
    phase: 'baking' as const,
    controllerStatus: 'InProgress',
    skip: 'bake' as const,
    replacementWeight: 100,
  };

  it('skips, then watches until the deployment left the wait', async () => {
    const clock = new ManualClock();
    const phases: DeploymentPhase[] = ['baking', 'baking', 'finished'];
    const calls: string[] = [];
    const report = await runFinishNow(
      plan,
      {
        finishNow: async (id, wait) => void calls.push(`${wait} ${id}`),
        status: async () => view(phases.shift() ?? 'finished'),
      },
      { clock, sleep: async (ms) => clock.advance(ms), pollMs: 100, deadlineMs: 10_000 },
    );
    expect(calls).toEqual(['bake d-1']);
    expect(report).toMatchObject({
      skipped: 'bake',
      before: 'baking',
      after: 'finished',
      alreadyPast: false,
      elapsedMs: 200,
    });
  });

  it('takes a wait that ended before the call as done, and rethrows when it did not', async () => {
    const clock = new ManualClock();
    const refused = async () => {
      throw new ShipgateError('AWS_ERROR', 'not waiting to terminate');
    };
    const past = await runFinishNow(
      plan,
      { finishNow: refused, status: async () => view('finished') },
      {
        clock,
        sleep: async () => {},
        deadlineMs: 1000,
      },
    );
    expect(past).toMatchObject({ alreadyPast: true, after: 'finished' });
    await expect(
      runFinishNow(
        plan,
        { finishNow: refused, status: async () => view('baking') },
        { clock, sleep: async () => {}, deadlineMs: 1000 },
      ),
    ).rejects.toThrow('not waiting to terminate');
  });

  it('names its deadline when the deployment stays in the wait', async () => {
    const clock = new ManualClock();
    const error = (await runFinishNow(
      plan,
      { finishNow: async () => {}, status: async () => view('baking') },
      { clock, sleep: async (ms) => clock.advance(ms), pollMs: 1000, deadlineMs: 3000 },
    ).catch((e) => e)) as ShipgateError;
    expect(error.code).toBe('DEPLOY_TIMEOUT');
    expect(error.message).toBe(
      'expected deployment d-1 to leave its bake (termination wait) within 3 s of finish now, found it still baking (InProgress)',
    );
  });
});
