import { describe, expect, it } from 'vitest';
import type { DeploymentRecord, Release } from '@shipgate/model';
import { planRollback } from './plan-rollback';
import { isAlreadyRestored, type RollbackState } from './rollback-plan';
import type { ControllerDeploymentView } from './ports';
import { deploymentRecord as rec } from './testing/records';

const options = { actor: 'oncall@example.com', reason: 'p99 latency x10 after deploy' };

function state(deployments: DeploymentRecord[], extra: Partial<RollbackState> = {}): RollbackState {
  return {
    service: 'sample-service',
    environment: 'production',
    deployments,
    ...extra,
  };
}

function side(label: 'Blue' | 'Green', trafficWeight: number, targetGroup: string) {
  return { id: `ts-${label}`, label, trafficWeight, desiredCount: 2, runningCount: 2, pendingCount: 0, targetGroup };
}

function inFlight(id: string, patch: Partial<ControllerDeploymentView> = {}): ControllerDeploymentView {
  return {
    id,
    phase: 'baking',
    controllerStatus: 'InProgress',
    lifecycleEvents: [],
    sides: [side('Blue', 0, 'production-sample-service-blue'), side('Green', 100, 'production-sample-service-green')],
    ...patch,
  };
}

const release = (id: string, service = 'sample-service'): Release => ({
  id,
  service,
  image: `reg/app@sha256:${'b'.repeat(64)}`,
  digest: `sha256:${'b'.repeat(64)}`,
  createdBy: 'ci',
  createdAt: '2026-01-01T00:00:00Z',
});

describe('planRollback', () => {
  it('takes the fast path for a deployment in its termination wait, restoring the release that served before it', () => {
    const r1 = rec('rel-1', 1);
    const r2 = rec('rel-2', 2, { outcome: 'in-progress', controllerDeploymentId: 'd-2', finishedAt: undefined });
    const plan = planRollback(state([r1, r2], { inFlight: inFlight('d-2') }), options);
    expect(plan.ok).toBe(true);
    if (!plan.ok || plan.value.path !== 'fast') throw new Error('expected the fast path');
    expect(plan.value.stop).toEqual({
      controllerDeploymentId: 'd-2',
      phase: 'baking',
      baking: true,
      replacementWeight: 100,
    });
    expect(plan.value.originalTargetGroup).toBe('production-sample-service-blue');
    expect(plan.value.restore.releaseId).toBe('rel-1');
    expect(plan.value.rolledBack).toEqual({ deploymentId: r2.id, releaseId: 'rel-2' });
    expect(plan.value.reason).toBe(options.reason);
  });

  it('takes the fast path even when the ledger already marked the in-flight deployment succeeded', () => {
    const r1 = rec('rel-1', 1);
    const r2 = rec('rel-2', 2, { controllerDeploymentId: 'd-2' });
    const plan = planRollback(state([r1, r2], { inFlight: inFlight('d-2') }), options);
    expect(plan.ok && plan.value.path === 'fast' && plan.value.restore.releaseId).toBe('rel-1');
  });

  it('stops a deployment the ledger does not know, and still restores the original task set', () => {
    const plan = planRollback(
      state([], { inFlight: inFlight('d-9', { phase: 'verifying', controllerStatus: 'Ready' }) }),
      options,
    );
    expect(plan.ok && plan.value.path).toBe('fast');
    if (plan.ok) expect(plan.value.rolledBack).toBeUndefined();
  });

  it('redeploys the last known good release, skipping a release that was rolled back', () => {
    const r1 = rec('rel-1', 1);
    const r2 = rec('rel-2', 2, { outcome: 'rolled-back' });
    const r3 = rec('rel-3', 3, { outcome: 'in-progress', finishedAt: undefined, controllerDeploymentId: 'd-3' });
    const plan = planRollback(state([r1, r2, r3]), options);
    expect(plan.ok).toBe(true);
    if (!plan.ok || plan.value.path !== 'redeploy') throw new Error('expected the redeploy path');
    expect(plan.value.restore.releaseId).toBe('rel-1');
    expect(plan.value.taskDefinitionArn).toBe('td-rel-1');
    expect(plan.value.shift).toBe('all-at-once');
    expect(plan.value.gate).toBe('skipped');
    expect(plan.value.freezeWindows).toBe('ignored');
    expect(plan.value.rolledBack).toEqual({ deploymentId: r3.id, releaseId: 'rel-3' });
  });

  it('skips a succeeded deployment that a later rollback record says it rolled back', () => {
    const r1 = rec('rel-1', 1);
    const r2 = rec('rel-2', 2);
    const back = rec('rel-1', 3, { kind: 'rollback', rolledBackDeploymentId: r2.id });
    const plan = planRollback(state([r1, r2, back], { liveServingReleaseId: 'rel-2' }), options);
    expect(plan.ok && plan.value.path === 'redeploy' && plan.value.restore.releaseId).toBe('rel-1');
  });

  it('redeploys the last known good release when the production listener answers with another one', () => {
    const plan = planRollback(
      state([rec('rel-1', 1), rec('rel-2', 2, { outcome: 'failed' })], { liveServingReleaseId: 'rel-2' }),
      options,
    );
    expect(plan.ok && plan.value.path === 'redeploy' && plan.value.restore.releaseId).toBe('rel-1');
  });

  it('refuses with NOTHING_TO_ROLL_BACK when the ledger is empty and nothing is in flight', () => {
    const plan = planRollback(state([]), options);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.error.code).toBe('NOTHING_TO_ROLL_BACK');
    expect(plan.error.situation).toBe('no-history');
    expect(plan.error.message).toMatch(
      /nothing to roll back: no deployment of sample-service in production is in flight/,
    );
  });

  it('refuses when no deployment ever succeeded', () => {
    const plan = planRollback(state([rec('rel-1', 1, { outcome: 'failed' })]), options);
    expect(!plan.ok && plan.error.situation).toBe('no-last-known-good');
  });

  it('says "already restored" after a rollback, so a second run does nothing', () => {
    const r1 = rec('rel-1', 1);
    const r2 = rec('rel-2', 2, { outcome: 'rolled-back' });
    const back = rec('rel-1', 3, { kind: 'rollback', rolledBackDeploymentId: r2.id });
    const plan = planRollback(state([r1, r2, back], { liveServingReleaseId: 'rel-1' }), options);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.error.situation).toBe('already-restored');
    expect(isAlreadyRestored(plan.error)).toBe(true);
    expect(plan.error.message).toContain('rel-1 is already serving');
  });

  it('says "already restored" after a failed deploy that the controller rolled back itself', () => {
    const plan = planRollback(state([rec('rel-1', 1), rec('rel-2', 2, { outcome: 'failed' })]), options);
    expect(!plan.ok && plan.error.situation).toBe('already-restored');
  });

  it('rolls back to the known good release before the one serving, when nothing went wrong since it was deployed', () => {
    const plan = planRollback(state([rec('rel-1', 1), rec('rel-2', 2)]), options);
    expect(plan.ok).toBe(true);
    if (!plan.ok || plan.value.path !== 'redeploy') throw new Error('expected a redeploy plan');
    expect(plan.value.restore.releaseId).toBe('rel-1');
    expect(plan.value.rolledBack?.releaseId).toBe('rel-2');
  });

  it('skips a rolled-back release when it looks for the known good release before the one serving', () => {
    const plan = planRollback(
      state([
        rec('rel-1', 1),
        rec('rel-9', 2, { outcome: 'rolled-back' }),
        rec('rel-1', 3, { kind: 'rollback' }),
        rec('rel-2', 4),
      ]),
      options,
    );
    expect(plan.ok && plan.value.restore.releaseId).toBe('rel-1');
  });

  it('names the options, without prompting, when no known good release came before the one serving', () => {
    const plan = planRollback(state([rec('rel-2', 2)]), options);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.error.situation).toBe('serving-is-last-known-good');
    expect(isAlreadyRestored(plan.error)).toBe(false);
    expect(plan.error.message).toContain('No known good release came before it');
  });

  it('does not stop a deployment that is itself a rollback', () => {
    const r2 = rec('rel-2', 2, { outcome: 'rolled-back' });
    const back = rec('rel-1', 3, { kind: 'rollback', outcome: 'succeeded', controllerDeploymentId: 'd-back' });
    const plan = planRollback(state([rec('rel-1', 1), r2, back], { inFlight: inFlight('d-back') }), options);
    expect(!plan.ok && plan.error.situation).toBe('rollback-in-progress');
    const byController = planRollback(
      state([], { inFlight: inFlight('d-auto', { rollback: { triggeringDeploymentId: 'd-2' } }) }),
      options,
    );
    expect(!byController.ok && byController.error.situation).toBe('rollback-in-progress');
    // A ledger that does not know it (another --state) still recognises shipgate's own redeploy by its description.
    const byDescription = planRollback(
      state([], { inFlight: inFlight('d-redeploy', { description: 'shipgate rollback to rel-1: bad data' }) }),
      options,
    );
    expect(!byDescription.ok && byDescription.error.situation).toBe('rollback-in-progress');
  });

  it('redeploys --to R when R succeeded here before', () => {
    const plan = planRollback(
      state([rec('rel-1', 1), rec('rel-2', 2), rec('rel-3', 3)], { requested: release('rel-1') }),
      { ...options, to: 'rel-1' },
    );
    expect(plan.ok).toBe(true);
    if (!plan.ok || plan.value.path !== 'redeploy') throw new Error('expected redeploy');
    expect(plan.value.basis).toBe('requested');
    expect(plan.value.forced).toBe(false);
    expect(plan.value.restore.releaseId).toBe('rel-1');
    expect(plan.value.rolledBack?.releaseId).toBe('rel-3');
  });

  it('refuses --to R that never succeeded here unless --force', () => {
    const records = [rec('rel-1', 1), rec('rel-2', 2)];
    const refused = planRollback(state(records, { requested: release('rel-9') }), { ...options, to: 'rel-9' });
    expect(!refused.ok && refused.error.code).toBe('USAGE');
    expect(!refused.ok && refused.error.options[0]).toContain('--to rel-9 --force');
    expect(!refused.ok && refused.error.message).toContain('found rel-9, which was never deployed to production');
    const undone = planRollback(
      state([...records, rec('rel-9', 3, { outcome: 'rolled-back' })], {
        requested: release('rel-9'),
        liveServingReleaseId: 'rel-2',
      }),
      { ...options, to: 'rel-9' },
    );
    expect(!undone.ok && undone.error.message).toContain('found rel-9, whose deployments here ended rolled-back');
    const forced = planRollback(state(records, { requested: release('rel-9') }), {
      ...options,
      to: 'rel-9',
      force: true,
    });
    expect(forced.ok && forced.value.path === 'redeploy' && forced.value.forced).toBe(true);
    if (forced.ok && forced.value.path === 'redeploy') expect(forced.value.taskDefinitionArn).toBeUndefined();
  });

  it('refuses --to R of another service, an unknown R, and R already serving', () => {
    const records = [rec('rel-1', 1), rec('rel-2', 2)];
    const other = planRollback(state(records, { requested: release('rel-x', 'billing') }), { ...options, to: 'rel-x' });
    expect(!other.ok && other.error.code).toBe('RELEASE_SERVICE_MISMATCH');
    const unknown = planRollback(state(records), { ...options, to: 'rel-nope' });
    expect(!unknown.ok && unknown.error.code).toBe('RELEASE_NOT_FOUND');
    const serving = planRollback(state(records, { requested: release('rel-2') }), { ...options, to: 'rel-2' });
    expect(!serving.ok && serving.error.situation).toBe('target-already-serving');
  });

  it('refuses --to another release while a deployment is in flight, naming the fast rollback first', () => {
    const r2 = rec('rel-2', 2, { outcome: 'in-progress', controllerDeploymentId: 'd-2', finishedAt: undefined });
    const plan = planRollback(
      state([rec('rel-0', 0), rec('rel-1', 1), r2], { inFlight: inFlight('d-2'), requested: release('rel-0') }),
      { ...options, to: 'rel-0' },
    );
    expect(!plan.ok && plan.error.situation).toBe('target-while-in-flight');
    const same = planRollback(
      state([rec('rel-0', 0), rec('rel-1', 1), r2], { inFlight: inFlight('d-2'), requested: release('rel-1') }),
      { ...options, to: 'rel-1' },
    );
    expect(same.ok && same.value.path).toBe('fast');
  });

  it('records "not given" when no reason was given', () => {
    const plan = planRollback(state([rec('rel-1', 1)], { liveServingReleaseId: 'rel-0' }), {
      actor: 'a',
      reason: '  ',
    });
    expect(plan.ok && [plan.value.reason, plan.value.reasonGiven]).toEqual(['not given', false]);
  });

  it('resumes a redeploy rollback whose run died before traffic moved, adopting its in-progress record (#11.3)', () => {
    const r2 = rec('rel-2', 2);
    const killed = rec('rel-1', 3, {
      kind: 'rollback',
      outcome: 'in-progress',
      controllerDeploymentId: 'd-redeploy',
      rolledBackDeploymentId: r2.id,
      finishedAt: undefined,
    });
    const flight = inFlight('d-redeploy', {
      phase: 'starting',
      description: 'shipgate rollback to rel-1: 5xx',
      sides: [side('Blue', 100, 'production-sample-service-green'), side('Green', 0, 'production-sample-service-blue')],
    });
    const plan = planRollback(state([rec('rel-1', 1), r2, killed], { inFlight: flight }), options);
    if (!plan.ok || plan.value.path !== 'resume') throw new Error(`expected resume, got ${JSON.stringify(plan)}`);
    expect(plan.value.restore.releaseId).toBe('rel-1');
    expect(plan.value.resume).toMatchObject({
      controllerDeploymentId: 'd-redeploy',
      replacementWeight: 0,
      record: { id: killed.id, startedAt: killed.startedAt },
    });
    expect(plan.value.rolledBack).toEqual({ deploymentId: r2.id, releaseId: 'rel-2' });
    // Known only by its description (killed before it was recorded): the release comes from the description.
    const unrecorded = planRollback(state([rec('rel-1', 1), r2], { inFlight: flight }), options);
    expect(unrecorded.ok && unrecorded.value.path === 'resume' && unrecorded.value.restore.releaseId).toBe('rel-1');
    expect(unrecorded.ok && unrecorded.value.path === 'resume' && unrecorded.value.resume.record).toBeUndefined();
    // --to another release while it is in flight: usage error naming both commands.
    const other = planRollback(state([rec('rel-1', 1), r2, killed], { inFlight: flight }), { ...options, to: 'rel-0' });
    expect(!other.ok && other.error.code).toBe('USAGE');
  });

  it('a second rollback right after a rollback does not go further back: it names --to and the candidates (#11.4)', () => {
    const r0 = rec('rel-0', 0);
    const r1 = rec('rel-1', 1);
    const r2 = rec('rel-2', 2, { outcome: 'rolled-back' });
    const back = rec('rel-1', 3, { kind: 'rollback', rolledBackDeploymentId: r2.id });
    const plan = planRollback(state([r0, r1, r2, back], { liveServingReleaseId: 'rel-1' }), options);
    if (plan.ok) throw new Error('expected a refusal');
    expect(plan.error).toMatchObject({
      code: 'NOTHING_TO_ROLL_BACK',
      situation: 'already-restored',
      servingReleaseId: 'rel-1',
      candidates: ['rel-0'],
    });
    expect(plan.error.message).toContain('To go further back, name the release with --to');
    expect(plan.error.message).toContain('rel-0');
    expect(plan.error.options).toContain(
      'shipgate rollback production --service sample-service --to rel-0 --reason "<why>"',
    );
    expect(plan.error.hint).toContain('--to rel-0');
    // Asked for, it goes there.
    const further = planRollback(
      state([r0, r1, r2, back], { liveServingReleaseId: 'rel-1', requested: release('rel-0') }),
      { ...options, to: 'rel-0' },
    );
    expect(further.ok && further.value.path === 'redeploy' && further.value.restore.releaseId).toBe('rel-0');
  });
});
