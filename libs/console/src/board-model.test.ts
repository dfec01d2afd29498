import type { DeploymentRecord } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { boardRows, inFlightView } from './board-model';
import { inFlightCell } from './pages/board';
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

  it('counts as in flight only what is newer than the last finished deployment (an older one was abandoned)', () => {
    const rows = boardRows(
      [{ name: 'production', services: ['api'] }],
      [
        record('d1', 'rel-1', 'in-progress', 0),
        record('d2', 'rel-2', 'succeeded', 5),
        record('d3', 'rel-3', 'in-progress', 9),
        record('d4', 'rel-4', 'in-progress', 11),
      ],
    );
    expect(rows[0]!.inFlight.map((d) => d.id)).toEqual(['d4', 'd3']);
    expect(rows[0]!.lastFinished?.id).toBe('d2');
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

  it('shows a deployment in flight with the phase and split its deploy reported, labelled unsigned (#16)', () => {
    const reported = record('d4', 'rel-4', 'in-progress', 12, {
      trafficTimeline: [{ atMs: 1000, blue: 100, green: 0 }],
      progress: {
        phase: 'shifting',
        step: 'AllowTraffic: InProgress',
        traffic: { blue: 60, green: 40 },
        reportedAt: '2026-12-01T10:13:05Z',
      },
    });
    // The deploy's own report wins over the last split recorded before it.
    expect(inFlightView(reported)).toEqual({
      phase: 'shifting',
      step: 'AllowTraffic: InProgress',
      split: { blue: 60, green: 40 },
      source: 'reported',
      reportedAt: '2026-12-01T10:13:05Z',
    });
    const cell = String(inFlightCell(reported)).replace(/\s+/g, ' ');
    expect(cell).toContain('phase: shifting');
    expect(cell).toContain('traffic 60% original / 40% replacement');
    expect(cell).toContain('reported by the deploy in flight at 2026-12-01 10:13:05 UTC; unsigned until it finishes');
    expect(
      inFlightView(record('d5', 'rel-5', 'in-progress', 13, { trafficTimeline: [{ atMs: 1, blue: 0, green: 100 }] })),
    ).toEqual({ split: { blue: 0, green: 100 }, source: 'recorded' });
    expect(inFlightView(record('d6', 'rel-6', 'in-progress', 14))).toEqual({ source: 'none' });
    // A hostile step (the controller's diagnostics) stays text.
    const hostile = record('d7', 'rel-7', 'in-progress', 15, {
      progress: { phase: 'verifying', step: '<script>x()</script>', reportedAt: '2026-12-01T10:16:00Z' },
    });
    expect(String(inFlightCell(hostile))).toContain('&lt;script&gt;x()&lt;/script&gt;');
  });
});
