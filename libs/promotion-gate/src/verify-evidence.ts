import type { Evidence, Release } from '@shipgate/model';
import {
  verifyRecord,
  type RecordRefusal,
  type TargetKind,
  type VerifiedIdentity,
  type VerifierPort,
} from '@shipgate/trust';
import { evidenceCodec, evidencePredicateType } from './evidence-statement';
import type { ApprovalSummary, OverrideSummary } from './summaries';

/** What the gate verifies evidence with: the policy's verifier and where the release is going. */
export interface GateTrust {
  verifier: VerifierPort;
  targetKind: TargetKind;
  /** For messages: who each environment's CI identity is (`staging` → `KMS alias/…`). */
  ciIdentities?: Readonly<Record<string, string>>;
  /** For messages: who the build's CI identity is (trust.build.ci), the signer of releases. */
  buildIdentity?: string;
}

/** The person a people-signed record speaks for: the approver, or whoever overrode. */
function speaker(e: Evidence): string | undefined {
  if (e.kind === 'approval') return (e.summary as ApprovalSummary).approver;
  if (e.kind === 'override') return (e.summary as OverrideSummary).by;
  return undefined;
}

function describeSigners(signers: VerifiedIdentity[]): string {
  return signers
    .map((s) =>
      s.kind === 'person'
        ? `person ${s.principals?.join('/') ?? s.name}`
        : s.kind === 'ci'
          ? `${s.environment ?? '?'}'s CI identity`
          : s.name,
    )
    .join(', ');
}

/**
 * Who may sign which evidence. QA and stress from environment E: E's CI identity (or the rehearsal key,
 * which the verifier holds only under a profile against local-cloud). Approvals, rejections and overrides:
 * the person they name, by their SSH key; an approval imported from a GitHub review: the CI identity of
 * the environment being entered, which fetched it with the job's token.
 */
export function evidenceSignerProblem(
  signers: VerifiedIdentity[],
  e: Evidence,
  trust: Pick<GateTrust, 'ciIdentities'>,
): string | undefined {
  const ciOf = (env: string) =>
    signers.some((s) => (s.kind === 'ci' && s.environment === env) || s.kind === 'local-rehearsal');
  const ciName = (env: string) =>
    `${env}'s CI identity${trust.ciIdentities?.[env] ? ` (${trust.ciIdentities[env]})` : ''}`;
  if (e.kind === 'qa' || e.kind === 'stress' || e.kind === 'deployment') {
    return ciOf(e.environment)
      ? undefined
      : `expected ${e.kind} evidence from ${e.environment} signed by ${ciName(e.environment)}, found it signed by ${describeSigners(signers)}`;
  }
  const who = speaker(e)?.toLowerCase();
  const viaGithub = e.kind === 'approval' && (e.summary as ApprovalSummary).via === 'github';
  if (viaGithub && ciOf(e.environment)) return undefined;
  const byPerson = signers.some(
    (s) => s.kind === 'person' && (s.principals ?? [s.name]).some((p) => p.toLowerCase() === who),
  );
  return byPerson
    ? undefined
    : `expected ${e.kind === 'override' ? 'an override' : 'an approval'} by ${who ?? '?'} signed with ${who ?? '?'}'s SSH key in the allowed-signers file${viaGithub ? ` (or, from a GitHub review, by ${ciName(e.environment)})` : ''}, found it signed by ${describeSigners(signers)}`;
}

/**
 * Verifies one stored evidence record for a release: signature, subject digest, predicate type, binding
 * (service, release, the environment it names), every field as signed, and the signer's role. Returns
 * the signed record, or why it does not count. The same function serves the gate, rollback and audit.
 */
export function verifyEvidence(
  stored: Evidence,
  release: Pick<Release, 'id' | 'service' | 'digest'>,
  trust: GateTrust,
  now: Date,
): { ok: true; evidence: Evidence; signers: VerifiedIdentity[] } | { ok: false; refusal: RecordRefusal } {
  const result = verifyRecord(stored, evidenceCodec, trust.verifier, {
    subjectDigest: release.digest,
    predicateType: evidencePredicateType(stored),
    binding: { service: release.service, releaseId: release.id, environment: stored.environment },
    targetKind: trust.targetKind,
    now,
    mayHaveSigned: (signers, record) => evidenceSignerProblem(signers, record, trust),
  });
  return result.ok
    ? { ok: true, evidence: result.value.record, signers: result.value.signers }
    : { ok: false, refusal: result.error };
}
