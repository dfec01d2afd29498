import type { DeploymentRecord } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { boardRows } from './board-model';
import { trafficChart } from './chart-specs';

const record = (
  id: string,
  releaseId: string,
  outcome: DeploymentRecord['outcome'],
  minute: number,
  extra: Partial<DeploymentRecord> = {},
): DeploymentRecord => ({
  id,
  releaseId,
  service: 'api',
  environment: 'production',
  digest: 'sha256:' + '0'.repeat(64),
  controller: 'codedeploy',
  kind: 'deploy',
  startedBy: 'ci',
  startedAt: new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString(),
  ...(outcome !== 'in-progress' ? { finishedAt: new Date(Date.UTC(2026, 11, 1, 10, minute + 1)).toISOString() } : {}),
  outcome,
  ...extra,
});

describe('the environments board', () => {
  it('shows what serves, the last known good, the last finished and what is in flight, per service', () => {
    const rows = boardRows(
      [{ name: 'production', services: ['api', 'web'] }],
      [
        record('d1', 'rel-1', 'succeeded', 0),
        record('d2', 'rel-2', 'rolled-back', 5),
        record('d3', 'rel-3', 'in-progress', 9, { trafficTimeline: [{ atMs: 1000, blue: 70, green: 30 }] }),
      ],
    );
    expect(rows).toHaveLength(2);
    const api = rows[0]!;
    expect(api.servingReleaseId).toBe('rel-3');
    expect(api.lastKnownGood?.id).toBe('d1');
    expect(api.lastFinished?.id).toBe('d2');
    expect(api.inFlight.map((d) => d.id)).toEqual(['d3']);
    expect(rows[1]).toMatchObject({ service: 'web', inFlight: [] });
    expect(rows[1]!.servingReleaseId).toBeUndefined();
  });

  it('draws the recorded split to the end of the deploy and marks its rollbacks', () => {
    const d = record('d2', 'rel-2', 'rolled-back', 0, {
      trafficTimeline: [
        { atMs: 0, blue: 100, green: 0 },
        { atMs: 20_000, blue: 50, green: 50 },
        { atMs: 40_000, blue: 0, green: 100 },
      ],
    });
    const rollback = record('r1', 'rel-1', 'succeeded', 0, {
      kind: 'rollback',
      startedAt: '2026-12-01T10:00:50.000Z',
      finishedAt: '2026-12-01T10:01:30.000Z',
    });
    const spec = trafficChart(d, [rollback])!;
    expect(spec.seconds).toEqual([0, 20, 40, 90]);
    expect(spec.series).toEqual([
      { label: 'original', values: [100, 50, 0, 0] },
      { label: 'replacement', values: [0, 50, 100, 100] },
    ]);
    expect(spec.markers).toEqual([{ label: 'rollback r1', at: 50 }]);
  });
});
