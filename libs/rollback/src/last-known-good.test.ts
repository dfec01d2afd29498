import type { DeploymentRecord } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import {
  abandonedDeployments,
  inFlightNow,
  knownGoodReleases,
  lastFinished,
  lastKnownGood,
  ledgerServingReleaseId,
  rollbackTarget,
} from './last-known-good';
import { deploymentRecord as rec } from './testing/records';

let minute = 0;
const d = (
  id: string,
  releaseId: string,
  outcome: DeploymentRecord['outcome'],
  over: Partial<DeploymentRecord> = {},
): DeploymentRecord => rec(releaseId, minute++, { id, outcome, finishedAt: undefined, ...over });

/** The records a rollback of sample-service in production reads. */
const production = (records: DeploymentRecord[]) =>
  records.filter((r) => r.service === 'sample-service' && r.environment === 'production');

describe('lastKnownGood (the one definition: rollback, status, history and the runbook use it)', () => {
  it('last known good skips failed, auto-rolled-back and explicitly rolled-back deployments', () => {
    minute = 0;
    const history = [
      d('d1', 'rel-a', 'succeeded'),
      d('d2', 'rel-b', 'succeeded'),
      d('d3', 'rel-c', 'rolled-back'),
      d('d4', 'rel-d', 'failed'),
      d('d5', 'rel-e', 'succeeded'),
      d('r1', 'rel-b', 'succeeded', { kind: 'rollback', rolledBackDeploymentId: 'd5' }),
      d('d6', 'rel-f', 'succeeded', { environment: 'staging' }),
    ];
    expect(lastKnownGood(production(history))?.id).toBe('r1');
    expect(lastKnownGood(production(history), { excludeReleaseIds: ['rel-b'] })?.id).toBe('d1');
    expect(lastKnownGood(production(history.slice(0, 5)))?.id).toBe('d5');
    expect(lastKnownGood(production(history.slice(0, 5)), { excludeReleaseIds: ['rel-e'] })?.id).toBe('d2');
    expect(lastKnownGood(history.filter((r) => r.service === 'other'))).toBeUndefined();
  });

  it('a break-glass deploy serves but is not known good until a later gated deploy of the same release (#12.6)', () => {
    minute = 0;
    const glass = { by: 'alice', evidenceId: 'ev-glass' };
    const history = [d('d1', 'rel-a', 'succeeded'), d('d2', 'rel-b', 'succeeded', { breakGlass: glass })];
    expect(lastKnownGood(history)?.id).toBe('d1');
    // The ledger's belief of what serves is the break-glass release, so a rollback restores rel-a.
    expect(ledgerServingReleaseId(history)).toBe('rel-b');
    expect(rollbackTarget(history, ledgerServingReleaseId(history))).toMatchObject({
      kind: 'redeploy',
      deployment: { id: 'd1' },
    });
    // Verified: the same release deployed again through a passing gate (it already ran: nothing moved).
    const verified = [...history, d('d3', 'rel-b', 'succeeded', { decisionId: 'dec-pass' })];
    expect(lastKnownGood(verified)?.id).toBe('d3');
    expect(ledgerServingReleaseId(verified)).toBe('rel-b');
  });

  it('a failed rollback does not disqualify the deployment it tried to roll back', () => {
    minute = 0;
    const history = [
      d('d1', 'rel-a', 'succeeded'),
      d('d2', 'rel-b', 'succeeded'),
      d('r1', 'rel-a', 'failed', { kind: 'rollback', rolledBackDeploymentId: 'd2' }),
    ];
    expect(lastKnownGood(production(history))?.id).toBe('d2');
  });

  it('rollbackTarget: after a rollback nothing, with the earlier known good releases as --to candidates (#11.4)', () => {
    minute = 0;
    const first = d('d0', 'rel-0', 'succeeded');
    const history = [
      d('d1', 'rel-a', 'succeeded'),
      d('d2', 'rel-b', 'rolled-back'),
      d('r1', 'rel-a', 'succeeded', { kind: 'rollback', rolledBackDeploymentId: 'd2' }),
    ];
    expect(rollbackTarget(history, 'rel-a')).toMatchObject({
      kind: 'none',
      situation: 'already-restored',
      candidates: [],
    });
    const older = [first, ...history];
    const target = rollbackTarget(older, 'rel-a');
    expect(target.kind === 'none' && target.candidates.map((c) => c.releaseId)).toEqual(['rel-0']);
    // Served from outside the ledger: the last known good is restored.
    expect(rollbackTarget(older, 'rel-x')).toMatchObject({ kind: 'redeploy', deployment: { id: 'r1' } });
    expect(knownGoodReleases(older).map((r) => r.releaseId)).toEqual(['rel-a', 'rel-0']);
  });
});

describe('in flight now (the one definition: status and the console board use it)', () => {
  it('an unfinished record older than a finished one is abandoned, not in flight; a newer one is in flight', () => {
    const finished = (id: string, releaseId: string, at: number) => rec(releaseId, at, { id, outcome: 'succeeded' });
    const unfinished = (id: string, releaseId: string, at: number) =>
      rec(releaseId, at, { id, outcome: 'in-progress', finishedAt: undefined });
    const history = [unfinished('died', 'rel-a', 1), finished('done', 'rel-b', 2), unfinished('now', 'rel-c', 3)];
    expect(inFlightNow(history).map((r) => r.id)).toEqual(['now']);
    expect(abandonedDeployments(history).map((r) => r.id)).toEqual(['died']);
    expect(lastFinished(history)?.id).toBe('done');
    // Nothing finished yet: every unfinished record may still be running.
    const fresh = [unfinished('one', 'rel-a', 1), unfinished('two', 'rel-b', 2)];
    expect(inFlightNow(fresh).map((r) => r.id)).toEqual(['two', 'one']);
    expect(abandonedDeployments(fresh)).toEqual([]);
  });
});
