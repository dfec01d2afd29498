import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a zx-side .mjs module without types
import { deploymentMarkers, probeTrafficSpec, writeReportHtml } from './rehearsal/report-html.mjs';

const dir = await mkdtemp(join(tmpdir(), 'shipgate-report-html-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the rehearsal report.html (#16)', () => {
  it('turns probe samples into the share of production traffic per release and second, with the deployments marked', () => {
    const samples = [
      { at: 100, status: 200, release: 'a' },
      { at: 900, status: 200, release: 'a' },
      { at: 1100, status: 200, release: 'a' },
      { at: 1500, status: 200, release: 'b' },
      { at: 2200, status: 502, release: null },
      { at: 2300, status: 200, release: 'b' },
    ];
    const history = {
      deployments: [
        {
          kind: 'deploy',
          releaseId: 'b',
          outcome: 'rolled-back',
          startedAt: '2026-12-01T10:00:01.000Z',
          // A later rollback moved finishedAt; the deploy's own end is its start plus its duration.
          finishedAt: '2026-12-01T10:00:09.000Z',
          durationMs: 1500,
        },
      ],
    };
    const names = { a: 'v1', b: 'v2' };
    const spec = probeTrafficSpec(samples, {
      names,
      markers: deploymentMarkers(history, Date.parse('2026-12-01T10:00:00Z'), names),
    });
    expect(spec.seconds).toEqual([0, 1, 2]);
    expect(spec.series).toEqual([
      { label: 'v1 %', values: [100, 50, 0] },
      { label: 'v2 %', values: [0, 50, 50] },
      { label: 'failed %', values: [0, 0, 50] },
    ]);
    expect(spec.markers).toEqual([
      { label: 'deploy v2 starts', at: 1 },
      { label: 'deploy v2 ends (rolled-back)', at: 2.5 },
    ]);
  });

  it('is self-contained: scripts and styles inline, allowed by their hashes only, nothing loaded from anywhere', async () => {
    const file = join(dir, 'report.html');
    const spec = { kind: 'traffic', seconds: [0], series: [{ label: '<v1> %', values: [100] }], markers: [] };
    await writeReportHtml({ file, spec, summary: ['<b>x</b>'], consoleCommand: 'npx shipgate console --state s' });
    const page = (await readFile(file, 'utf8')).replace(/&#39;/g, "'");
    expect(page).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page).not.toContain('<b>x</b>');
    expect(page).toContain('&lt;v1&gt; %');
  });
});
