import { describeKey, type Ledger } from '@shipgate/ledger';
import type { CommandOutcome } from '../command';

/** What a qa or stress run would start, against what, and which report it would read. */
export interface PlannedRun {
  /** The command line (or in-process tool) it would run. */
  run: string;
  script?: string;
  /** The URL under test. */
  target: string;
  /** The report it would read back. */
  report: string;
}

/**
 * The dry run of a command that runs tests before it records: every check has passed (release, URL,
 * tool installed); this says what would run and what would be recorded, where, and runs nothing.
 */
export function wouldRun(
  ledger: Pick<Ledger, 'store'>,
  kind: 'qa' | 'stress',
  releaseId: string,
  environment: string,
  planned: PlannedRun,
): CommandOutcome {
  const record = {
    kind,
    release: releaseId,
    environment,
    evidence: describeKey(ledger.store, `evidence/${releaseId}/<evidence id>.json`),
    audit: describeKey(ledger.store, 'audit/<next seq>.json'),
  };
  const lines = [
    `dry run: ${kind} would run the following and record its result; nothing ran, nothing was written`,
    `  run:     ${planned.run}`,
    ...(planned.script ? [`  script:  ${planned.script}`] : []),
    `  target:  ${planned.target}`,
    `  report:  ${planned.report}`,
    `  record:  ${kind} evidence for ${releaseId} in ${environment} at ${record.evidence}`,
    `           and its audit entry (evidence.add) at ${record.audit}`,
  ];
  return { json: { dryRun: true, wouldRun: planned, wouldRecord: record }, human: lines.join('\n') };
}
