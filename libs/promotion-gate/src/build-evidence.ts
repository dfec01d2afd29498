import { contentHash } from '@shipgate/model';
import type { Evidence, EvidenceKind, Origin, Release } from '@shipgate/model';
import type { ApprovalSummary, OverrideSummary, QaSummary, StressSummary } from './summaries';

/** What every evidence record needs besides its summary. */
export interface EvidenceContext {
  release: Release;
  /** For QA and stress: the environment the tests ran in. For approvals and overrides: the environment being entered. */
  environment: string;
  origin: Origin;
  recordedAt: Date;
  /** sha256 hex of the source file's bytes (from the parser), when there was a file. */
  sourceHash?: string;
}

/**
 * Builds an evidence record: the summary's content hash (recomputed by the gate to detect tampering) and a
 * deterministic id, so that recording the same fact twice yields the same id.
 */
export function buildEvidence<T extends object>(kind: EvidenceKind, summary: T, context: EvidenceContext): Evidence<T> {
  const hash = contentHash(summary);
  const recordedAt = context.recordedAt.toISOString();
  const id = `ev-${kind}-${contentHash({ kind, releaseId: context.release.id, environment: context.environment, recordedAt, hash, actor: context.origin.actor }).slice(0, 16)}`;
  return {
    id,
    kind,
    releaseId: context.release.id,
    service: context.release.service,
    digest: context.release.digest,
    environment: context.environment,
    recordedAt,
    origin: context.origin,
    contentHash: hash,
    ...(context.sourceHash ? { sourceHash: context.sourceHash } : {}),
    summary,
  };
}

/** QA evidence from a parsed JUnit report; the runner becomes the origin's tool when the caller named none. */
export function qaEvidence(summary: QaSummary, context: EvidenceContext): Evidence<QaSummary> {
  const origin = { ...context.origin, tool: context.origin.tool ?? summary.runner ?? 'junit' };
  return buildEvidence('qa', summary, { ...context, origin });
}

/** Stress evidence from a k6 or autocannon summary; the tool is taken from the summary, never assumed. */
export function stressEvidence(summary: StressSummary, context: EvidenceContext): Evidence<StressSummary> {
  return buildEvidence('stress', summary, { ...context, origin: { ...context.origin, tool: summary.tool } });
}

/** An approval (or rejection) by one person, from `shipgate approve` or a GitHub environment review. */
export function approvalEvidence(
  approval: { approver: string; comment?: string; via: 'cli' | 'github'; state?: 'approved' | 'rejected' },
  context: EvidenceContext,
): Evidence<ApprovalSummary> {
  const summary: ApprovalSummary = {
    approver: approval.approver,
    state: approval.state ?? 'approved',
    comment: approval.comment ?? '',
    via: approval.via,
  };
  return buildEvidence('approval', summary, context);
}

/** An emergency override of a freeze window, recorded like any other evidence. */
export function overrideEvidence(override: OverrideSummary, context: EvidenceContext): Evidence<OverrideSummary> {
  return buildEvidence(
    'override',
    {
      by: override.by,
      reason: override.reason,
      ...(override.freeze ? { freeze: override.freeze } : {}),
      ...(override.expiresAt ? { expiresAt: override.expiresAt } : {}),
    },
    context,
  );
}
