import { describe, expect, it } from 'vitest';
import { digestA, digestB, release, sampleTarget, templateText } from './__fixtures__/targets';
import { planDeploy, type DeployState } from './plan-deploy';
import { renderTaskDefinition } from './render-task-definition';

const target = sampleTarget('production');
const relB = release('rel-b', digestB);
const taskDef = renderTaskDefinition(
  templateText,
  {
    family: target.taskFamily,
    image: relB.image,
    digest: digestB,
    release: relB.id,
    service: 'api',
    environment: 'production',
  },
  { containerName: 'app', containerPort: 8080 },
);
const linear = { type: 'linear', percent: 10, intervalMinutes: 1 } as const;
const running: DeployState = {
  service: { taskDefinitionArn: 'td:1', digest: digestA, releaseId: 'rel-a' },
  routing: linear,
};

describe('planDeploy', () => {
  it('starts a deployment when nothing is in flight, routed as the controller says', () => {
    const plan = planDeploy(running, relB, target, taskDef);
    expect(plan.action).toBe('start');
    expect(plan).not.toHaveProperty('appSpec');
    expect(plan.allAtOnce).toBe(false);
    expect(plan.routing).toEqual(linear);
    expect(plan.verify).toEqual({ requests: 20, path: '/release', timeoutMs: 5000 });
  });

  it('attaches to an in-flight deployment of the same release instead of starting a second', () => {
    const plan = planDeploy(
      { ...running, inFlight: { id: 'd-1', phase: 'shifting', digest: digestB, releaseId: 'rel-b' } },
      relB,
      target,
      taskDef,
    );
    expect(plan).toMatchObject({ action: 'attach', inFlightId: 'd-1' });
  });

  it('applies --if-busy to another release of the same image: the same digest is not the same release (#11.1)', () => {
    const sameImage: DeployState = {
      ...running,
      inFlight: { id: 'd-2', phase: 'verifying', digest: digestB, releaseId: 'rel-b-rebuilt' },
    };
    expect(planDeploy(sameImage, relB, target, taskDef)).toMatchObject({
      action: 'refuse',
      inFlightId: 'd-2',
      inFlightRelease: 'rel-b-rebuilt',
    });
    expect(planDeploy(sameImage, relB, target, taskDef, { ifBusy: 'supersede' }).action).toBe('supersede-then-start');
    // A deployment started outside shipgate names no release: it is not this one either.
    const unnamed: DeployState = { ...running, inFlight: { id: 'd-3', phase: 'shifting', digest: digestB } };
    expect(planDeploy(unnamed, relB, target, taskDef).action).toBe('refuse');
  });

  it('refuses, waits or supersedes when another release is in flight, as asked', () => {
    const busy: DeployState = {
      ...running,
      inFlight: { id: 'd-9', phase: 'verifying', digest: digestA, releaseId: 'rel-a' },
    };
    expect(planDeploy(busy, relB, target, taskDef)).toMatchObject({ action: 'refuse', inFlightId: 'd-9' });
    expect(planDeploy(busy, relB, target, taskDef).reason).toContain('rel-a');
    expect(planDeploy(busy, relB, target, taskDef, { ifBusy: 'wait' }).action).toBe('wait-then-start');
    expect(planDeploy(busy, relB, target, taskDef, { ifBusy: 'supersede' }).action).toBe('supersede-then-start');
  });

  it('does nothing when the release already runs, unless forced', () => {
    const already: DeployState = {
      service: { taskDefinitionArn: 'td:2', digest: digestB, releaseId: 'rel-b' },
      routing: linear,
    };
    // Another release of the same image runs: this one does not (#11.1).
    const sameImage: DeployState = {
      service: { taskDefinitionArn: 'td:2', digest: digestB, releaseId: 'rel-b0' },
      routing: linear,
    };
    expect(planDeploy(sameImage, relB, target, taskDef).action).toBe('start');
    expect(planDeploy(already, relB, target, taskDef).action).toBe('already-running');
    expect(planDeploy(already, relB, target, taskDef, { force: true }).action).toBe('start');
  });

  it('refuses a release of another service and an environment that was never bootstrapped', () => {
    expect(() => planDeploy(running, { ...relB, service: 'billing' }, target, taskDef)).toThrow(
      /expected a release of api/,
    );
    expect(() => planDeploy({ routing: linear }, relB, target, taskDef)).toThrow(
      /shipgate bootstrap production|found none/,
    );
  });

  it('shifts all at once for a rollback redeploy, in the budget too', () => {
    const normal = planDeploy(running, relB, target, taskDef);
    const allAtOnce = planDeploy(running, relB, target, taskDef, { allAtOnce: true });
    expect(normal.budget.trafficShiftMs).toBe(9 * 60_000);
    expect(allAtOnce.budget.trafficShiftMs).toBe(0);
    expect(allAtOnce).toMatchObject({ allAtOnce: true, routing: { type: 'all-at-once' } });
  });

  it('budgets by the routing the controller gives the strategy, not by its name', () => {
    const plan = planDeploy(
      { ...running, routing: { type: 'linear', percent: 25, intervalMinutes: 2 } },
      relB,
      target,
      taskDef,
    );
    expect(plan.routing).toEqual({ type: 'linear', percent: 25, intervalMinutes: 2 });
    expect(plan.budget.trafficShiftMs).toBe(3 * 2 * 60_000);
  });

  it('bakes for bakeTime under the ECS-native controller', () => {
    const ecs = sampleTarget('test', { controller: 'ecs', bakeTime: '3m', terminationWait: undefined });
    const plan = planDeploy({ ...running, routing: { type: 'all-at-once' } }, relB, ecs, taskDef);
    expect(plan.budget.bakeMs).toBe(3 * 60_000);
  });
});
