import type { Release } from '@shipgate/model';
import type { TargetKind, VerifiedIdentity, VerifierPort } from '../ports';
import { RELEASE_PREDICATE_TYPE } from '../predicates/release';
import { verifyRecord, type RecordCodec, type RecordRefusal } from '../signed-record';
import { createStatement } from '../statement';

function isReleaseRecord(value: unknown): value is Release {
  const v = value as Partial<Release> | undefined;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.digest === 'string';
}

/** A release record as a shipgate release statement about its image digest, carrying the whole record. */
export const releaseCodec: RecordCodec<Release> = {
  what: 'a release record',
  statementOf(r) {
    const { envelope: _omit, ...record } = r;
    const authors = [...new Set([r.author, ...(r.authors ?? [])].filter((a): a is string => Boolean(a)))];
    return createStatement({
      subjectDigest: r.digest,
      predicateType: RELEASE_PREDICATE_TYPE,
      predicate: {
        service: r.service,
        releaseId: r.id,
        image: r.image,
        ...(r.gitSha ? { gitSha: r.gitSha } : {}),
        authors,
        createdAt: r.createdAt,
        record,
      },
    });
  },
  recordOf: (statement) => (isReleaseRecord(statement.predicate.record) ? statement.predicate.record : undefined),
};

/** Undefined when a signer is the build's CI identity (or the rehearsal key the verifier holds); else expected vs found. */
export function releaseSignerProblem(signers: VerifiedIdentity[], r: Release): string | undefined {
  const ok = signers.some((s) => (s.kind === 'ci' && s.build === true) || s.kind === 'local-rehearsal');
  return ok
    ? undefined
    : `expected release ${r.id} signed by the build CI identity (trust.build.ci), found it signed by ${signers.map((s) => s.name).join(', ')}`;
}

/**
 * Verifies one stored release record: signed over its whole content by the build's CI identity, for its
 * own digest and id (an envelope copied from another release is refused: its subject or its id differs).
 * The gate and `approve` read a release's authors only from the record this returns.
 */
export function verifyRelease(
  stored: Release,
  verifier: VerifierPort,
  context: { targetKind: TargetKind; now: Date },
): { ok: true; release: Release; signers: VerifiedIdentity[] } | { ok: false; refusal: RecordRefusal } {
  const result = verifyRecord(stored, releaseCodec, verifier, {
    subjectDigest: stored.digest,
    predicateType: RELEASE_PREDICATE_TYPE,
    targetKind: context.targetKind,
    now: context.now,
    sameRecord: (signed) =>
      signed.id === stored.id
        ? undefined
        : `expected the signed statement of release ${stored.id}, found that of release ${signed.id} (an envelope replayed under another id)`,
    mayHaveSigned: releaseSignerProblem,
  });
  if (!result.ok) return { ok: false, refusal: result.error };
  return { ok: true, release: result.value.record, signers: result.value.signers };
}
