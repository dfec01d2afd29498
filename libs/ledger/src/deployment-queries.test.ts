import type { DeploymentRecord } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { currentDeployment, inFlightDeployments, lastKnownGood } from './deployment-queries';

let minute = 0;
const d = (
  id: string,
  releaseId: string,
  outcome: DeploymentRecord['outcome'],
  over: Partial<DeploymentRecord> = {},
): DeploymentRecord => ({
  id,
  releaseId,
  outcome,
  service: 'svc',
  environment: 'production',
  digest: 'sha256:x',
  controller: 'codedeploy',
  kind: 'deploy',
  startedBy: 'ci',
  startedAt: new Date(Date.UTC(2026, 0, 1, 0, minute++)).toISOString(),
  ...over,
});

describe('deployment queries', () => {
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
    expect(lastKnownGood(history, 'svc', 'production')?.id).toBe('r1');
    expect(lastKnownGood(history, 'svc', 'production', { excludeReleaseId: 'rel-b' })?.id).toBe('d1');
    expect(lastKnownGood(history.slice(0, 5), 'svc', 'production')?.id).toBe('d5');
    expect(lastKnownGood(history.slice(0, 5), 'svc', 'production', { excludeReleaseId: 'rel-e' })?.id).toBe('d2');
    expect(currentDeployment(history, 'svc', 'production')?.releaseId).toBe('rel-b');
    expect(currentDeployment(history, 'svc', 'staging')?.id).toBe('d6');
    expect(lastKnownGood(history, 'other', 'production')).toBeUndefined();
  });

  it('a failed rollback does not disqualify the deployment it tried to roll back', () => {
    minute = 0;
    const history = [
      d('d1', 'rel-a', 'succeeded'),
      d('d2', 'rel-b', 'succeeded'),
      d('r1', 'rel-a', 'failed', { kind: 'rollback', rolledBackDeploymentId: 'd2' }),
    ];
    expect(lastKnownGood(history, 'svc', 'production')?.id).toBe('d2');
  });

  it('lists in-flight deployments newest first', () => {
    minute = 0;
    const history = [d('d1', 'rel-a', 'in-progress'), d('d2', 'rel-b', 'succeeded'), d('d3', 'rel-c', 'in-progress')];
    expect(inFlightDeployments(history, 'svc', 'production').map((x) => x.id)).toEqual(['d3', 'd1']);
  });
});
