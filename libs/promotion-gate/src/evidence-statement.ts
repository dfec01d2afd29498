import type { Evidence } from '@shipgate/model';
import {
  APPROVAL_PREDICATE_TYPE,
  createStatement,
  FREEZE_OVERRIDE_PREDICATE_TYPE,
  QA_CONFIGURATION_NAME,
  REJECTION_PREDICATE_TYPE,
  STRESS_PREDICATE_TYPE,
  TEST_RESULT_PREDICATE_TYPE,
  type RecordCodec,
  type Statement,
} from '@shipgate/trust';
import type { ApprovalSummary, OverrideSummary, QaSummary, StressSummary } from './summaries';

/** The predicate type an evidence record is signed under (approvals and rejections differ by type, never by a field). */
export function evidencePredicateType(evidence: Pick<Evidence, 'kind' | 'summary'>): string {
  switch (evidence.kind) {
    case 'qa':
      return TEST_RESULT_PREDICATE_TYPE;
    case 'stress':
      return STRESS_PREDICATE_TYPE;
    case 'approval':
      return (evidence.summary as ApprovalSummary).state === 'rejected'
        ? REJECTION_PREDICATE_TYPE
        : APPROVAL_PREDICATE_TYPE;
    case 'override':
      return FREEZE_OVERRIDE_PREDICATE_TYPE;
    default:
      return `https://shipgate.dev/attestation/${evidence.kind}/v1`;
  }
}

const sha256Hex = (text: string | undefined) => (text && /^[0-9a-f]{64}$/.test(text) ? text : undefined);

function predicateOf(e: Evidence): Record<string, unknown> {
  const binding = { service: e.service, releaseId: e.releaseId, environment: e.environment };
  const { envelope: _omit, ...record } = e;
  switch (e.kind) {
    case 'qa': {
      const s = e.summary as QaSummary;
      const failed = s.failures + s.errors > 0 || (s.commandExitCode !== undefined && s.commandExitCode !== 0);
      const finished = Date.parse(e.recordedAt);
      return {
        result: failed ? 'FAILED' : 'PASSED',
        configuration: [
          {
            name: QA_CONFIGURATION_NAME,
            uri: e.origin.where,
            annotations: {
              ...binding,
              ...(s.commandExitCode !== undefined ? { exitCode: s.commandExitCode } : {}),
              startedAt: new Date(finished - Math.round(s.durationSeconds * 1000)).toISOString(),
              finishedAt: e.recordedAt,
              record,
            },
          },
        ],
        failedTests: s.failedCases.map((c) => `${c.suite} › ${c.name}`),
      };
    }
    case 'stress': {
      const s = e.summary as StressSummary;
      const finished = Date.parse(e.recordedAt);
      return {
        ...binding,
        result: s.thresholds.every((t) => t.passed) ? 'PASSED' : 'FAILED',
        tool: { name: s.tool, ...(e.origin.toolVersion ? { version: e.origin.toolVersion } : {}) },
        target: { baseUrl: s.target ?? 'not recorded' },
        startedAt: new Date(finished - (s.durationMs ?? 0)).toISOString(),
        finishedAt: e.recordedAt,
        thresholds: s.thresholds.map((t) => ({
          metric: t.metric,
          limit: t.expression,
          observed: t.observed === undefined ? 'not recorded' : String(t.observed),
          passed: t.passed,
        })),
        // The raw report's hash when there was a file; the summary's otherwise (autocannon reports in memory).
        reportDigest: { sha256: sha256Hex(e.sourceHash) ?? e.contentHash },
        record,
      };
    }
    case 'approval': {
      const s = e.summary as ApprovalSummary;
      return { ...binding, decidedAt: e.recordedAt, ...(s.comment ? { reason: s.comment } : {}), record };
    }
    case 'override': {
      const s = e.summary as OverrideSummary;
      return {
        ...binding,
        decidedAt: e.recordedAt,
        reason: s.reason,
        freeze: { id: s.freeze ?? 'none' },
        expiresAt: s.expiresAt ?? e.recordedAt,
        record,
      };
    }
    default:
      return { ...binding, record };
  }
}

function isEvidence(value: unknown): value is Evidence {
  const v = value as Partial<Evidence> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.kind === 'string' &&
    typeof v.recordedAt === 'string' &&
    typeof v.summary === 'object' &&
    v.summary !== null
  );
}

/** Evidence records as in-toto statements: QA as in-toto test-result, the rest as shipgate predicates (docs/attestations.md). */
export const evidenceCodec: RecordCodec<Evidence> = {
  what: 'evidence',
  statementOf: (e) =>
    createStatement({ subjectDigest: e.digest, predicateType: evidencePredicateType(e), predicate: predicateOf(e) }),
  recordOf(statement: Statement<Record<string, unknown>>) {
    const p = statement.predicate;
    const carried =
      statement.predicateType === TEST_RESULT_PREDICATE_TYPE
        ? (p.configuration as { name?: string; annotations?: { record?: unknown } }[] | undefined)?.find(
            (c) => c.name === QA_CONFIGURATION_NAME,
          )?.annotations?.record
        : p.record;
    return isEvidence(carried) ? carried : undefined;
  },
};
