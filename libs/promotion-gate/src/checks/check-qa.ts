import type { Evidence, QaPolicy, RequirementResult } from '@shipgate/model';
import { formatCount, plural } from '../format';
import type { EvidenceSelection } from '../select-evidence';
import type { QaSummary } from '../summaries';
import { evidenceRequirement, requirement, unmeasured } from './requirement';

/** QA requirements: usable evidence, enough tests, few enough failures + errors, few enough skips. */
export function checkQa(
  policy: QaPolicy,
  selection: EvidenceSelection<QaSummary>,
  context: { from: string; now: Date; maxAgeText: string },
): RequirementResult[] {
  const out: RequirementResult[] = [
    evidenceRequirement('qa.evidence', 'QA evidence', selection, {
      ...context,
      what: 'QA',
      howToRecord: `run the tests in ${context.from} and record the JUnit report with \`shipgate qa\` or \`shipgate evidence add --kind qa\``,
      describe: (e) => {
        const s = e.summary as unknown as QaSummary;
        return `${plural(s.tests, 'test')}${s.runner ? ` (${s.runner})` : ''}`;
      },
    }),
  ];
  const chosen = selection.chosen;
  const testsRequired = `≥ ${plural(policy.minTests, 'test')}`;
  const failuresRequired = `≤ ${formatCount(policy.maxFailures)} failures + errors`;
  const skippedRequired = policy.maxSkipped === undefined ? undefined : `≤ ${formatCount(policy.maxSkipped)} skipped`;
  if (!chosen) {
    out.push(unmeasured('qa.tests', 'QA: number of tests', testsRequired, selection, 'QA'));
    out.push(unmeasured('qa.failures', 'QA: failures and errors', failuresRequired, selection, 'QA'));
    if (skippedRequired) out.push(unmeasured('qa.skipped', 'QA: skipped tests', skippedRequired, selection, 'QA'));
    return out;
  }
  const s = chosen.summary;
  if (s.commandExitCode !== undefined) out.push(commandRequirement(s.commandExitCode, chosen));
  out.push(testsRequirement(s, policy.minTests, testsRequired, chosen));
  out.push(failuresRequirement(s, policy.maxFailures, failuresRequired, chosen));
  if (skippedRequired !== undefined && policy.maxSkipped !== undefined) {
    const ok = s.skipped <= policy.maxSkipped;
    out.push(
      requirement(
        'qa.skipped',
        'QA: skipped tests',
        ok ? 'pass' : 'fail',
        skippedRequired,
        `${formatCount(s.skipped)} skipped`,
        `${formatCount(s.skipped)} skipped ${ok ? '≤' : '>'} ${formatCount(policy.maxSkipped)} allowed`,
        [chosen],
      ),
    );
  }
  return out;
}

function testsRequirement(
  s: QaSummary,
  minTests: number,
  required: string,
  chosen: Evidence<unknown>,
): RequirementResult {
  const ok = s.tests >= minTests;
  const claimed = s.attributeMismatches?.find((m) => m.field === 'tests');
  const note = claimed
    ? `; the report's attributes claim ${formatCount(claimed.declared)}, but it holds ${formatCount(claimed.counted)} test cases (the cases are counted)`
    : '';
  return requirement(
    'qa.tests',
    'QA: number of tests',
    ok ? 'pass' : 'fail',
    required,
    plural(s.tests, 'test'),
    `${plural(s.tests, 'test')} ${ok ? '≥' : '<'} ${formatCount(minTests)} required${note}`,
    [chosen],
  );
}

function failuresRequirement(
  s: QaSummary,
  maxFailures: number,
  required: string,
  chosen: Evidence<unknown>,
): RequirementResult {
  const bad = s.failures + s.errors;
  const ok = bad <= maxFailures;
  const observed = s.errors
    ? `${plural(s.failures, 'failure')} + ${plural(s.errors, 'error')}`
    : plural(s.failures, 'failure');
  const first = s.failedCases[0];
  const example =
    !ok && first ? `; first: ${first.suite ? `${first.suite} › ` : ''}${first.name}: ${first.message}` : '';
  return requirement(
    'qa.failures',
    'QA: failures and errors',
    ok ? 'pass' : 'fail',
    required,
    observed,
    `${observed} ${ok ? '≤' : '>'} ${formatCount(maxFailures)} allowed${example}`,
    [chosen],
  );
}

/** A QA run whose command exited non-zero never passes, whatever its report says (#11 item 11). */
function commandRequirement(exitCode: number, chosen: Evidence<unknown>): RequirementResult {
  const ok = exitCode === 0;
  return requirement(
    'qa.command',
    'QA: command exit code',
    ok ? 'pass' : 'fail',
    'exit code 0',
    `exit code ${exitCode}`,
    ok
      ? 'the QA command exited 0'
      : `the QA command exited ${exitCode}: a run whose command failed does not pass, whatever its report says`,
    [chosen],
  );
}
