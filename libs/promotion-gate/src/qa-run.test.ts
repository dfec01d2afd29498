import { copyFile, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipgateError } from '@shipgate/model';
import { evaluateGate } from './evaluate-gate';
import { parseJunit } from './parse-junit';
import { qaRunEvidence } from './qa-run';
import type { Evidence } from '@shipgate/model';
import {
  approval,
  context,
  now,
  policy,
  release,
  stagingDeployment,
  stressFrom,
  trustWorld,
} from './testing/gate-fixtures';

// #11 item 11: the QA command's exit code is part of the evidence, and a report older than the run is refused.
const passing = fileURLToPath(new URL('./__fixtures__/junit/vitest-pass.junit.xml', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qa-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the passing report, then a marker file whose mtime is the run's start, as `shipgate qa` takes it. */
async function reportAndRunStart(reportFirst: boolean) {
  const report = join(dir, `junit-${reportFirst ? 'stale' : 'fresh'}.xml`);
  const marker = join(dir, `started-${reportFirst ? 'stale' : 'fresh'}`);
  if (reportFirst) {
    await copyFile(passing, report);
    // Written an hour before the run, as a report left from yesterday's run would be.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(report, anHourAgo, anHourAgo);
    await writeFile(marker, '');
  } else {
    await writeFile(marker, '');
    await copyFile(passing, report);
  }
  return { report, startedMs: (await stat(marker)).mtimeMs, modifiedMs: (await stat(report)).mtimeMs };
}

/** The evidence `shipgate qa` would record for that report and a command that exited `exitCode`. */
async function evidenceOf(run: Awaited<ReturnType<typeof reportAndRunStart>>, exitCode: number) {
  const { summary } = await parseJunit(run.report);
  return qaRunEvidence(
    summary,
    { exitCode, startedMs: run.startedMs, report: { path: run.report, modifiedMs: run.modifiedMs } },
    context(),
  );
}

describe('qaRunEvidence', () => {
  it('records the command exit code in the evidence', async () => {
    const evidence = await evidenceOf(await reportAndRunStart(false), 0);
    expect(evidence.summary).toMatchObject({ tests: 25, failures: 0, commandExitCode: 0 });
  });

  it('refuses a report last written before the run started (a stale file from an earlier run)', async () => {
    const run = await reportAndRunStart(true);
    const error = (await evidenceOf(run, 1).then(
      () => {
        throw new Error('expected a stale report to be refused');
      },
      (e: unknown) => e,
    )) as ShipgateError;
    expect(error.code).toBe('QA_RUN_FAILED');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(
      new RegExp(
        `^expected the QA command to write its JUnit report ${run.report} during the run \\(started .*Z\\), found a report last written .*Z, 1 h before the run started \\(command exit code 1\\)$`,
      ),
    );
    expect(error.hint).toMatch(/\$JUNIT_OUTPUT \(or the path given with --junit\)/);
  });

  it('makes the gate fail a run whose command exited non-zero, though its report passes', async () => {
    const qa = await evidenceOf(await reportAndRunStart(false), 1);
    const world = await trustWorld();
    const unsigned: Evidence<unknown>[] = [
      qa,
      await stressFrom('k6-pass.handle-summary.json'),
      approval('alice'),
      approval('carol'),
    ];
    const decision = evaluateGate({
      release,
      environment: 'production',
      policy: policy(),
      evidence: await Promise.all(unsigned.map((e) => world.sign(e))),
      deployments: [await world.signDeployment(stagingDeployment())],
      trust: world.trust,
      now,
    });
    world.remove();
    expect(decision.outcome).toBe('block');
    expect(decision.requirements.find((r) => r.id === 'qa.command')).toMatchObject({
      status: 'fail',
      required: 'exit code 0',
      observed: 'exit code 1',
      reason: 'the QA command exited 1: a run whose command failed does not pass, whatever its report says',
    });
    expect(decision.requirements.find((r) => r.id === 'qa.failures')!.status).toBe('pass');
  });
});
