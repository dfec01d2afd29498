import type { Evidence, Release } from '@shipgate/model';
import { isIntact, verifiedRelease, verifyEvidence, type GateTrust } from '@shipgate/promotion-gate';

/** How far a record can be trusted, in one word. */
export type VerificationState = 'verified' | 'unsigned' | 'altered' | 'invalid';

/** The one field every page shows for a record: its state and the facts behind it, in words. */
export interface VerificationStatus {
  state: VerificationState;
  summary: string;
  /** Who signed it (verified), or who the record says produced it. */
  signer?: string;
}

/** The trust policy to verify with, or why it could not be loaded (then nothing counts as verified). */
export type TrustForVerification = GateTrust | Error | undefined;

/**
 * The verification status of a piece of evidence: the gate's own check (`verifyEvidence`: signature,
 * subject digest, binding, the signer's role) under the environment's trust policy. Without a trust
 * policy the strongest claim is that the summary still matches its content hash (`isIntact`): the
 * origin is then what the writer said, not a proven identity.
 */
export function verificationOf(
  evidence: Evidence,
  release: Pick<Release, 'id' | 'service' | 'digest'>,
  trust: TrustForVerification,
  now: Date,
): VerificationStatus {
  const claimed = evidence.origin.actor;
  if (evidence.digest !== release.digest)
    return {
      state: 'invalid',
      summary: `about digest ${evidence.digest}, not this release's ${release.digest}: never counts`,
      signer: claimed,
    };
  if (trust === undefined || trust instanceof Error) {
    const why = trust ? `not verified (${trust.message})` : 'not signed';
    return isIntact(evidence)
      ? {
          state: 'unsigned',
          summary: `content hash intact; ${why}: origin "${claimed}" is what the writer said`,
          signer: claimed,
        }
      : {
          state: 'altered',
          summary: 'content hash does not match the summary: edited after it was recorded',
          signer: claimed,
        };
  }
  const result = verifyEvidence(evidence, release, trust, now);
  if (result.ok) {
    const signers = result.signers.map((s) => (s.principals?.length ? s.principals.join('/') : s.name)).join(', ');
    return { state: 'verified', summary: `signed by ${signers}`, signer: signers };
  }
  const { refusal } = result;
  const state: VerificationState =
    refusal.reason === 'unsigned' ? 'unsigned' : refusal.class === 'tampered' ? 'altered' : 'invalid';
  return { state, summary: `${refusal.message}; the gate does not count it`, signer: claimed };
}

/**
 * The verification status of a release record, by the gate's own reading (`verifiedRelease`): only a
 * release its build CI identity signed has authors the page may present as facts; otherwise they are
 * what the stored file says, and the approvals check counts no approval for it.
 */
export function releaseVerificationOf(
  release: Release,
  trust: TrustForVerification,
  now: Date,
): VerificationStatus & { authors?: string[] } {
  if (trust === undefined || trust instanceof Error) {
    const why = trust ? `not verified (${trust.message})` : 'no trust policy to verify with';
    return {
      state: 'unsigned',
      summary: `${release.envelope ? 'signed' : 'not signed'}; ${why}: authors are what the stored file says`,
    };
  }
  const checked = verifiedRelease(release, trust, now);
  if (checked.ok) {
    const by = trust.buildIdentity ?? 'the build CI identity';
    return { state: 'verified', summary: `signed by ${by}`, signer: by, authors: checked.release.authors ?? [] };
  }
  const state: VerificationState = checked.unsigned ? 'unsigned' : checked.tampered ? 'altered' : 'invalid';
  return { state, summary: `${checked.problem}; no approval counts for it` };
}
