import type { DeploymentRecord } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { currentDeployment, inFlightDeployments, recordedDurationMs } from './deployment-queries';

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
  it('current is the newest succeeded deployment of the service in the environment', () => {
    minute = 0;
    const history = [
      d('d1', 'rel-a', 'succeeded'),
      d('d3', 'rel-c', 'rolled-back'),
      d('r1', 'rel-b', 'succeeded', { kind: 'rollback', rolledBackDeploymentId: 'd5' }),
      d('d6', 'rel-f', 'succeeded', { environment: 'staging' }),
    ];
    expect(currentDeployment(history, 'svc', 'production')?.releaseId).toBe('rel-b');
    expect(currentDeployment(history, 'svc', 'staging')?.id).toBe('d6');
  });

  it('a recorded duration: its own, else finish − start; none for a record that deployed nothing (#11.21)', () => {
    minute = 0;
    const at = '2026-01-01T00:00:00.000Z';
    expect(recordedDurationMs(d('d1', 'rel-a', 'succeeded', { durationMs: 4200 }))).toBe(4200);
    expect(
      recordedDurationMs(d('d2', 'rel-a', 'succeeded', { startedAt: at, finishedAt: '2026-01-01T00:01:05.000Z' })),
    ).toBe(65_000);
    // Bootstrap's record: the service was created with the release, in no time worth reporting.
    expect(
      recordedDurationMs(d('d3', 'rel-a', 'succeeded', { startedAt: at, finishedAt: at, durationMs: 0 })),
    ).toBeUndefined();
    expect(recordedDurationMs(d('d4', 'rel-a', 'in-progress'))).toBeUndefined();
  });

  it('lists in-flight deployments newest first', () => {
    minute = 0;
    const history = [d('d1', 'rel-a', 'in-progress'), d('d2', 'rel-b', 'succeeded'), d('d3', 'rel-c', 'in-progress')];
    expect(inFlightDeployments(history, 'svc', 'production').map((x) => x.id)).toEqual(['d3', 'd1']);
  });
});
