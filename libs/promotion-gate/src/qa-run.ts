import { ShipgateError } from '@shipgate/model';
import type { Evidence } from '@shipgate/model';
import type { EvidenceContext } from './build-evidence';
import { qaEvidence } from './build-evidence';
import { formatDuration } from './format';
import type { QaSummary } from './summaries';

/** What `shipgate qa` observed of the command it ran. */
export interface QaRun {
  /** The command's exit code (127 when it could not be started). */
  exitCode: number;
  /** When the run started, by the clock of the file system the report is on (ms since the epoch). */
  startedMs: number;
  /** The JUnit report's path and its modification time by that same clock. */
  report: { path: string; modifiedMs: number };
}

/**
 * QA evidence from a run of a QA command: its exit code is part of the evidence, so the gate never passes a
 * run whose command failed, whatever its report says; and a report written before the run started (left
 * from an earlier run) is refused, as it says nothing about this one.
 */
export function qaRunEvidence(summary: QaSummary, run: QaRun, context: EvidenceContext): Evidence<QaSummary> {
  if (run.report.modifiedMs < run.startedMs) {
    throw new ShipgateError(
      'QA_RUN_FAILED',
      `expected the QA command to write its JUnit report ${run.report.path} during the run (started ${new Date(run.startedMs).toISOString()}), found a report last written ${new Date(run.report.modifiedMs).toISOString()}, ${formatDuration(run.startedMs - run.report.modifiedMs)} before the run started (command exit code ${run.exitCode})`,
      {
        location: { file: run.report.path },
        hint: 'That report is left from an earlier run. Make the runner write JUnit XML to $JUNIT_OUTPUT (or the path given with --junit) on every run, e.g. vitest --reporter=junit --outputFile=$JUNIT_OUTPUT.',
      },
    );
  }
  return qaEvidence({ ...summary, commandExitCode: run.exitCode }, context);
}
