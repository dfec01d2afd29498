import { formatDuration, type Evidence, type RequirementResult, type RequirementStatus } from '@shipgate/model';
import type { EvidenceSelection } from '../select-evidence';
import { describeRejections, selectionStatus } from '../select-evidence';

/** Builds one requirement result; evidence ids are listed only when there are any. */
export function requirement(
  id: string,
  title: string,
  status: RequirementStatus,
  required: string,
  observed: string,
  reason: string,
  evidence: readonly { id: string }[] = [],
): RequirementResult {
  return {
    id,
    title,
    status,
    required,
    observed,
    reason,
    ...(evidence.length ? { evidenceIds: evidence.map((e) => e.id) } : {}),
  };
}

/** What a threshold requirement reports when there is no usable evidence to measure. */
export function unmeasured(
  id: string,
  title: string,
  required: string,
  selection: EvidenceSelection<unknown>,
  what: string,
): RequirementResult {
  const status = selection.rejected.some((r) => r.why === 'stale') && !selection.tampered.length ? 'stale' : 'missing';
  return requirement(
    id,
    title,
    status,
    required,
    '—',
    `no usable ${what} evidence to measure (see ${id.split('.')[0]}.evidence)`,
  );
}

/** The `<kind>.evidence` requirement: is there a usable record, and which records were ignored and why. */
export function evidenceRequirement(
  id: string,
  title: string,
  selection: EvidenceSelection<unknown>,
  context: {
    from: string;
    now: Date;
    maxAgeText: string;
    what: string;
    howToRecord: string;
    describe: (e: Evidence<unknown>) => string;
  },
): RequirementResult {
  const status = selectionStatus(selection);
  const required = `from ${context.from}, this digest, ≤ ${context.maxAgeText} old, intact`;
  const ignored = describeRejections(selection.rejected);
  const chosen = selection.chosen;
  if (selection.tampered.length) {
    const rest = chosen ? `; ${chosen.id} is intact and was used for the checks below` : '';
    return requirement(
      id,
      title,
      'fail',
      required,
      `${selection.tampered.length} altered record(s)`,
      `${selection.tampered.map((t) => t.reason).join('; ')}${rest}`,
      selection.tampered.map((t) => t.evidence),
    );
  }
  if (chosen) {
    const age = formatDuration(context.now.getTime() - Date.parse(chosen.recordedAt));
    return requirement(
      id,
      title,
      status,
      required,
      context.describe(chosen),
      `recorded ${age} ago in ${chosen.environment} by ${chosen.origin.actor}, content hash verified${ignored ? `; ${ignored}` : ''}`,
      [chosen],
    );
  }
  if (!selection.rejected.length)
    return requirement(
      id,
      title,
      'missing',
      required,
      'none',
      `no ${context.what} evidence recorded for this release; ${context.howToRecord}`,
    );
  return requirement(
    id,
    title,
    status,
    required,
    'none usable',
    `${ignored}; ${context.howToRecord}`,
    selection.rejected.map((r) => r.evidence),
  );
}
