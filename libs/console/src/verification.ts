import { isIntact } from '@shipgate/promotion-gate';
import type { Evidence, Release } from '@shipgate/model';

/** How far a record can be trusted, in one word. */
export type VerificationState = 'verified' | 'unsigned' | 'altered' | 'invalid';

/** The one field every page shows for a record: its state and the facts behind it, in words. */
export interface VerificationStatus {
  state: VerificationState;
  summary: string;
  /** Who the signature (or, unsigned, the record itself) says produced it. */
  signer?: string;
}

/**
 * The verification status of a piece of evidence. Records carry no signature yet, so the strongest
 * claim is that the summary still matches its content hash (the gate's own check, `isIntact`): the
 * origin is what the writer said, not a proven identity. Signature checks replace this one function.
 */
export function verificationOf(evidence: Evidence, release: Pick<Release, 'digest'>): VerificationStatus {
  if (evidence.digest !== release.digest)
    return {
      state: 'invalid',
      summary: `about digest ${evidence.digest}, not this release's ${release.digest}: never counts`,
      signer: evidence.origin.actor,
    };
  if (!isIntact(evidence))
    return {
      state: 'altered',
      summary: 'content hash does not match the summary: edited after it was recorded; the gate ignores it',
      signer: evidence.origin.actor,
    };
  return {
    state: 'unsigned',
    summary: `content hash intact; not signed: origin "${evidence.origin.actor}" (${evidence.origin.where}) is what the writer said`,
    signer: evidence.origin.actor,
  };
}
